package io.breakwater.samples.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The echo sample against the JDK's own WebSocket client, over loopback. */
class EchoServerTest {

    private EchoServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = EchoServer.start(0);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void echoesTextAndBinaryThenClosesCleanly() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), recorder)
                .get(5, TimeUnit.SECONDS);

        socket.sendText("héllo, wörld ✓", true).get(5, TimeUnit.SECONDS);
        assertEquals("text:héllo, wörld ✓", recorder.next());

        byte[] payload = new byte[200_000];
        new Random(7).nextBytes(payload);
        socket.sendBinary(ByteBuffer.wrap(payload), true).get(5, TimeUnit.SECONDS);
        assertArrayEquals(payload, recorder.nextBinary());

        // A text message in three fragments comes back as one.
        socket.sendText("one ", false).get(5, TimeUnit.SECONDS);
        socket.sendText("two ", false).get(5, TimeUnit.SECONDS);
        socket.sendText("three", true).get(5, TimeUnit.SECONDS);
        assertEquals("text:one two three", recorder.next());

        socket.sendClose(4000, "done").get(5, TimeUnit.SECONDS);
        assertEquals("close:4000", recorder.next());
    }

    @Test
    void servesTheBrowserPageAndRejectsBadHandshakes() throws Exception {
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("new WebSocket"));

        HttpResponse<String> missing = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/nothing")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
    }

    /** Collects what the client receives, one message per entry. */
    private static final class Recorder implements WebSocket.Listener {
        private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add("text:" + text);
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
            binary = joined.put(binary).put(data).flip();
            if (last) {
                byte[] bytes = new byte[binary.remaining()];
                binary.get(bytes);
                events.add(bytes);
                binary = ByteBuffer.allocate(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            events.add("close:" + statusCode);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            events.add("error:" + error);
        }

        Object poll() throws InterruptedException {
            Object event = events.poll(10, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("nothing received within 10 s");
            }
            return event;
        }

        String next() throws InterruptedException {
            return String.valueOf(poll());
        }

        byte[] nextBinary() throws InterruptedException {
            Object event = poll();
            if (event instanceof byte[] bytes) {
                return bytes;
            }
            throw new AssertionError("expected a binary message, got " + event);
        }
    }
}
