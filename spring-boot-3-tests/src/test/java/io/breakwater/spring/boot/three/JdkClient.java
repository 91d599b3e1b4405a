package io.breakwater.spring.boot.three;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The JDK's {@code java.net.http.WebSocket}, an independent client, collecting the text messages it receives. */
final class JdkClient implements WebSocket.Listener, AutoCloseable {

    /** Generous: the machine running the tests may be loaded; only a hang runs into it. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket webSocket;

    private JdkClient() {
    }

    /** Opens a connection, with the extra handshake {@code headers}; fails as the JDK reports a refused handshake. */
    static JdkClient connect(URI uri, Map<String, String> headers) throws Exception {
        JdkClient client = new JdkClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        client.webSocket = builder.buildAsync(uri, client).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return client;
    }

    static JdkClient connect(URI uri) throws Exception {
        return connect(uri, Map.of());
    }

    /** Sends {@code text} and returns the next message the server sends. */
    String exchange(String text) throws Exception {
        webSocket.sendText(text, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        String reply = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (reply == null) {
            throw new AssertionError("no reply to '" + text + "' within " + WAIT);
        }
        return reply;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(partial.toString());
            partial.setLength(0);
        }
        socket.request(1);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
}
