package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDK's {@link java.net.http.WebSocket} against the server: text, binary and fragmented messages,
 * pings and pongs both ways, and close codes both ways.
 */
class JdkClientTest {

    private static final HttpClient http = HttpClient.newHttpClient();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(ServerEndpointConfig.Builder.create(MessageTypesTest.EchoEndpoint.class, "/echo").build(),
                MessageTypesTest.PartsServer.class, SessionApiTest.InfoServer.class,
                ServerEndpointConfig.Builder.create(PingingServer.class, "/pinging").build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void textAndBinary() throws Exception {
        JdkListener listener = new JdkListener();
        WebSocket socket = connect("/echo", listener);
        socket.sendText("κόσμε 😀", true).get(5, TimeUnit.SECONDS);
        assertEquals("text:κόσμε 😀", listener.next());
        String big = "x".repeat(300_000); // several frames' worth for the JDK's reader
        socket.sendText(big, true).get(5, TimeUnit.SECONDS);
        assertEquals("text:" + big.length() + " chars", listener.next());
        socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
        assertEquals("binary:3", listener.next());
        socket.sendBinary(ByteBuffer.allocate(200_000), true).get(5, TimeUnit.SECONDS);
        assertEquals("binary:200000", listener.next());
        close(socket, listener);
    }

    @Test
    void fragmentedMessagesReachWholeAndPartialHandlers() throws Exception {
        JdkListener listener = new JdkListener();
        WebSocket socket = connect("/echo", listener);
        // A whole-message handler on the server gets the fragments as one message.
        socket.sendText("frag", false).get(5, TimeUnit.SECONDS);
        socket.sendText("ment", false).get(5, TimeUnit.SECONDS);
        socket.sendText("ed ✓", true).get(5, TimeUnit.SECONDS);
        assertEquals("text:fragmented ✓", listener.next());
        socket.sendBinary(ByteBuffer.allocate(10), false).get(5, TimeUnit.SECONDS);
        socket.sendBinary(ByteBuffer.allocate(20), true).get(5, TimeUnit.SECONDS);
        assertEquals("binary:30", listener.next());
        // The server sends in parts too; the JDK assembles them.
        socket.sendText("parts:one,two,three", true).get(5, TimeUnit.SECONDS);
        assertEquals("text:onetwothree", listener.next());
        close(socket, listener);

        // An annotated endpoint taking parts.
        JdkListener partial = new JdkListener();
        WebSocket parts = connect("/ann/parts", partial);
        parts.sendText("a", false).get(5, TimeUnit.SECONDS);
        parts.sendText("b", false).get(5, TimeUnit.SECONDS);
        parts.sendText("c", true).get(5, TimeUnit.SECONDS);
        assertEquals("text:text-parts:abc", partial.next());
        parts.sendBinary(ByteBuffer.allocate(4), false).get(5, TimeUnit.SECONDS);
        parts.sendBinary(ByteBuffer.allocate(5), true).get(5, TimeUnit.SECONDS);
        assertEquals("text:binary-parts:9", partial.next());
        close(parts, partial);
    }

    @Test
    void pingsAreAnsweredBothWays() throws Exception {
        JdkListener listener = new JdkListener();
        WebSocket socket = connect("/pinging", listener);
        // The JDK pings; the server's engine answers with the same payload.
        socket.sendPing(ByteBuffer.wrap("jdk ping".getBytes(StandardCharsets.UTF_8))).get(5, TimeUnit.SECONDS);
        assertEquals("pong:jdk ping", listener.next());
        // The server pings; the JDK answers; the server's pong handler reports it.
        socket.sendText("ping me", true).get(5, TimeUnit.SECONDS);
        assertEquals("ping:server ping", listener.next());
        assertEquals("text:the server got pong:server ping", listener.next());
        close(socket, listener);
    }

    @Test
    void closeCodesReachTheServer() throws Exception {
        JdkListener listener = new JdkListener();
        WebSocket socket = connect("/info/jdk", listener);
        socket.sendText("id", true).get(5, TimeUnit.SECONDS);
        String id = listener.next().substring("text:".length());
        socket.sendClose(4000, "application going").get(5, TimeUnit.SECONDS);
        assertEquals("4000:application going", SessionApiTest.InfoServer.closesOf(id).poll(10, TimeUnit.SECONDS));
        // The server answers with the same code (RFC 6455 §5.5.1: it "typically echos the status code").
        String answer = listener.next();
        assertTrue(answer.startsWith("close:4000:"), answer);
    }

    @Test
    void closeCodesReachTheJdkClient() throws Exception {
        for (String close : List.of("1000:done", "1001:server going down", "1008:policy", "1011:oops", "4999:custom")) {
            JdkListener listener = new JdkListener();
            WebSocket socket = connect("/info/jdk", listener);
            socket.sendText("id", true).get(5, TimeUnit.SECONDS);
            String id = listener.next().substring("text:".length());
            socket.sendText("close:" + close, true).get(5, TimeUnit.SECONDS);
            assertEquals("close:" + close, listener.next());
            assertEquals(close, SessionApiTest.InfoServer.closesOf(id).poll(10, TimeUnit.SECONDS));
            socket.abort();
        }
    }

    // ------------------------------------------------------------------------------------------------

    private static WebSocket connect(String path, JdkListener listener) throws Exception {
        URI uri = server.uri(path);
        return http.newWebSocketBuilder().buildAsync(uri, listener).get(10, TimeUnit.SECONDS);
    }

    private static void close(WebSocket socket, JdkListener listener) throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        String event = listener.next();
        assertTrue(event.startsWith("close:1000"), event);
    }

    /** Pings the client on "ping me" and reports the pong it gets back. */
    public static class PingingServer extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, text -> {
                try {
                    session.getBasicRemote().sendPing(ByteBuffer.wrap("server ping".getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            session.addMessageHandler(PongMessage.class, pong -> {
                try {
                    session.getBasicRemote().sendText("the server got pong:"
                            + StandardCharsets.UTF_8.decode(pong.getApplicationData()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Records whole messages (assembled from parts), pings, pongs and the close. */
    static final class JdkListener implements WebSocket.Listener {
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private int binary;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add("text:" + (text.length() > 100 ? text.length() + " chars" : text));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            binary += data.remaining();
            if (last) {
                events.add("binary:" + binary);
                binary = 0;
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            events.add("ping:" + StandardCharsets.UTF_8.decode(message));
            webSocket.request(1);
            return null; // the JDK answers with a pong
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            events.add("pong:" + StandardCharsets.UTF_8.decode(message));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add("close:" + statusCode + ":" + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add("error:" + error);
        }

        String next() throws InterruptedException {
            String event = events.poll(10, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no event within 10 s");
            }
            return event;
        }
    }
}
