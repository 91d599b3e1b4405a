package io.breakwater.samples.chat;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A chat member on the JDK's {@code java.net.http.WebSocket}: a client that shares no code with ours. */
public final class JdkMember implements WebSocket.Listener {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<ServerMessage> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private WebSocket socket;

    private JdkMember() {
    }

    /** Joins {@code room} on the embedded server at {@code 127.0.0.1:port} as {@code name}. */
    public static JdkMember join(int port, String room, String name) throws Exception {
        return join(URI.create("ws://127.0.0.1:" + port + "/"), room, name);
    }

    /** Joins {@code room} of the application at {@code application} (a {@code ws:} URI ending in /) as {@code name}. */
    public static JdkMember join(URI application, String room, String name) throws Exception {
        JdkMember member = new JdkMember();
        URI uri = application.resolve("chat/" + room + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        member.socket = HTTP.newWebSocketBuilder().buildAsync(uri, member).get(10, TimeUnit.SECONDS);
        return member;
    }

    /** The next message from the server, waiting up to ten seconds for it. */
    public ServerMessage next() throws InterruptedException {
        ServerMessage message = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(message, "no message from the server within 10 s");
        return message;
    }

    public <T extends ServerMessage> T next(Class<T> kind) throws InterruptedException {
        return assertInstanceOf(kind, next());
    }

    public void say(String text) throws Exception {
        sendRaw(ChatJson.write(new ClientMessage(text)));
    }

    public void sendRaw(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    /** Closes with 1000 and waits for the server's answer. */
    public int leave() throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        return closeCode();
    }

    /** The close code the server sent, waiting up to ten seconds for it. */
    public int closeCode() throws Exception {
        return closeCode.get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(ChatJson.readServerMessage(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }
}
