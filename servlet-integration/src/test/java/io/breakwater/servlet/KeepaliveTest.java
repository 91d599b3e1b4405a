package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's keepalive, on embedded Jetty 12.1 with the interval shortened through the context
 * parameters: a peer that answers nothing is pinged, then closed with 1001 and dropped; a peer that
 * answers (the JDK's client, which pongs by itself) stays; the keepalive's pongs neither reach the
 * application nor keep a session from its idle timeout.
 *
 * <p>Bounds are generous upper bounds for a loaded machine, never speed claims.
 */
@Timeout(120)
class KeepaliveTest {

    private static final long INTERVAL_MS = 300;
    private static final long PATIENCE_MS = 20_000;

    static final BlockingQueue<CloseReason> CLOSES = new LinkedBlockingQueue<>();

    /** Echoes text; answers a pong it is given with a message, so that a delivered pong would show. */
    @ServerEndpoint("/echo")
    public static class Echo {
        @OnMessage
        public String echo(String message) {
            return message;
        }

        @OnMessage
        public String pong(PongMessage pong) {
            return "the application saw a pong";
        }

        @OnClose
        public void closed(CloseReason reason) {
            CLOSES.add(reason);
        }
    }

    /** Closes after 1.5 s without activity. */
    @ServerEndpoint("/idle")
    public static class Idle {
        @OnOpen
        public void open(Session session) {
            session.setMaxIdleTimeout(1_500);
        }

        @OnClose
        public void closed(CloseReason reason) {
            CLOSES.add(reason);
        }
    }

    /** Collects text, counts pings; the JDK's client answers each ping with a pong by itself. */
    private static final class PingCounting extends JdkTextListener {
        final AtomicInteger pings = new AtomicInteger();
        volatile String closeReason;

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.incrementAndGet();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            return super.onClose(webSocket, statusCode, reason);
        }
    }

    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        CLOSES.clear();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.setInitParameter(BreakwaterServletContainerInitializer.KEEPALIVE_INTERVAL_PARAMETER,
                Long.toString(INTERVAL_MS));
        context.setInitParameter(BreakwaterServletContainerInitializer.KEEPALIVE_TIMEOUT_PARAMETER, "1000");
        context.setInitParameter(BreakwaterServletContainerInitializer.CLOSE_TIMEOUT_PARAMETER, "1000");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), Echo.class, Idle.class);
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aPeerThatAnswersNoPingIsClosedWith1001AndDropped() throws Exception {
        try (RawWebSocket peer = RawWebSocket.open(port, "/echo")) {
            RawWebSocket.Frame ping = peer.read();
            assertEquals(RawWebSocket.PING, ping.opcode(), "a quiet peer is pinged first");
            assertEquals("breakwater-keepalive", new String(ping.payload(), StandardCharsets.US_ASCII));
            RawWebSocket.Frame close = peer.readUntilClose();
            assertEquals(1001, closeCode(close.payload()), "going away (RFC 6455 §7.4.1)");
            assertTrue(peer.awaitDropped(PATIENCE_MS), "the connection ends after the close timeout at the latest");
        }
        CloseReason reason = CLOSES.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
        assertNotNull(reason, "@OnClose ran");
        // WebSocket 2.2 §2.1.5 (WSC-2.1.5-1): a close the container decided on its own is reported as 1006.
        assertEquals(CloseReason.CloseCodes.CLOSED_ABNORMALLY, reason.getCloseCode());
        assertTrue(reason.getReasonPhrase().contains("keepalive"), reason.getReasonPhrase());
    }

    @Test
    void aPeerThatAnswersStaysAndTheApplicationNeverSeesTheKeepalivePongs() throws Exception {
        PingCounting listener = new PingCounting();
        WebSocket client = JdkTextListener.connect(URI.create("ws://127.0.0.1:" + port + "/echo"), listener);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS);
        while (listener.pings.get() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(listener.pings.get() >= 4, "pinged " + listener.pings.get() + " times");
        client.sendText("still there?", true).get(10, TimeUnit.SECONDS);
        assertEquals("still there?", listener.messages.poll(PATIENCE_MS, TimeUnit.MILLISECONDS),
                "the session is open, and no pong reached the application before this echo");
        assertTrue(!listener.closed.isDone(), "not closed");
        client.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    @Test
    void keepalivePongsDoNotKeepASessionFromItsIdleTimeout() throws Exception {
        PingCounting listener = new PingCounting();
        JdkTextListener.connect(URI.create("ws://127.0.0.1:" + port + "/idle"), listener);
        int code = listener.closed.get(PATIENCE_MS, TimeUnit.MILLISECONDS);
        assertEquals(1001, code);
        assertTrue(listener.closeReason.contains("idle timeout"), listener.closeReason);
        assertTrue(listener.pings.get() >= 1, "pings went out meanwhile: " + listener.pings.get());
        CloseReason reason = CLOSES.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
        assertNotNull(reason);
        assertTrue(reason.getReasonPhrase().contains("idle timeout"), reason.getReasonPhrase());
    }

    /** The status code of a close frame's payload (RFC 6455 §5.5.1). */
    private static int closeCode(byte[] payload) throws IOException {
        if (payload.length < 2) {
            throw new IOException("close frame without a code");
        }
        return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }
}
