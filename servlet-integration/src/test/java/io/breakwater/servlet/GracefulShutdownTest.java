package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stopping the server while sessions still have messages queued for slow peers: every queued message
 * reaches its peer, in order, before a Close with 1001 (RFC 6455 §7.4.1, going away), and stopping
 * takes a bounded time even when a peer never answers. Breakwater in embedded Jetty 12.1 (ee11).
 */
@Timeout(120)
class GracefulShutdownTest {

    /** Messages queued per peer, and their size: 3 MiB in all, under the 4 MiB queue limit. */
    static final int MESSAGES = 12;
    static final int MESSAGE_CHARS = 256 * 1024;
    /** The default close timeout (SessionSettings): the longest stop waits for the close handshakes. */
    static final long CLOSE_TIMEOUT_MS = 5_000;
    /** How long the server may take beyond what it promises, on a busy machine. */
    static final long PATIENCE_MS = 20_000;

    static final BlockingQueue<String> QUEUED = new LinkedBlockingQueue<>();
    static final BlockingQueue<CloseReason> CLOSES = new LinkedBlockingQueue<>();

    /** On "burst", queues {@link #MESSAGES} large messages at once, numbered, with async sends. */
    @ServerEndpoint("/burst")
    public static class Burst {
        @OnMessage
        public void burst(Session session, String command) {
            for (int i = 0; i < MESSAGES; i++) {
                session.getAsyncRemote().sendText(numbered(i));
            }
            QUEUED.add(session.getId());
        }

        @OnClose
        public void close(CloseReason reason) {
            CLOSES.add(reason);
        }
    }

    static String numbered(int i) {
        String prefix = i + ":";
        return prefix + "x".repeat(MESSAGE_CHARS - prefix.length());
    }

    private Server server;
    private ServletContextHandler context;
    private int port;

    @BeforeEach
    void start() throws Exception {
        QUEUED.clear();
        CLOSES.clear();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        context = new ServletContextHandler("/");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), Burst.class);
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (!server.isStopped()) {
            server.stop();
        }
    }

    /** A peer with a small receive buffer that reads slowly, so that its messages wait in the server's queue. */
    private RawWebSocket slowPeer() throws IOException, InterruptedException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        RawWebSocket peer = RawWebSocket.open(socket, port, "/burst");
        peer.send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("burst"));
        assertNotNull(QUEUED.poll(PATIENCE_MS, TimeUnit.MILLISECONDS), "the messages were queued");
        return peer;
    }

    /** What a slow peer reads: every message, checked in order, then the close code; it answers the close. */
    private static CompletableFuture<Integer> readSlowly(RawWebSocket peer) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    String message = peer.readMessage();
                    assertEquals(numbered(i), message, "message " + i + " whole and in order");
                    Thread.sleep(100); // a slow reader: about 1.2 s for all of them
                }
                RawWebSocket.Frame close = peer.read();
                assertEquals(RawWebSocket.CLOSE, close.opcode(), "the close frame comes right after the messages");
                peer.sendClose(close.closeCode());
                return close.closeCode();
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private void assertQueuedMessagesThenGoingAway(Runnable stopping) throws Exception {
        List<RawWebSocket> peers = new ArrayList<>();
        List<CompletableFuture<Integer>> reads = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawWebSocket peer = slowPeer();
                peers.add(peer);
                reads.add(readSlowly(peer));
            }
            long start = System.nanoTime();
            stopping.run();
            long stopMillis = (System.nanoTime() - start) / 1_000_000;
            for (CompletableFuture<Integer> read : reads) {
                assertEquals(1001, read.get(PATIENCE_MS, TimeUnit.MILLISECONDS));
            }
            for (RawWebSocket peer : peers) {
                assertTrue(peer.awaitDropped(PATIENCE_MS), "the server ended TCP after the close handshake");
            }
            assertTrue(stopMillis < CLOSE_TIMEOUT_MS + PATIENCE_MS, "stop took " + stopMillis + " ms");
            for (int i = 0; i < peers.size(); i++) {
                CloseReason reason = CLOSES.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
                assertNotNull(reason, "@OnClose for every session");
                assertEquals(1001, reason.getCloseCode().getCode());
            }
        } finally {
            for (RawWebSocket peer : peers) {
                peer.close();
            }
        }
    }

    @Test
    void stoppingTheApplicationFlushesQueuedMessagesThenCloses1001() throws Exception {
        assertQueuedMessagesThenGoingAway(() -> LifeCycle.stop(context));
    }

    @Test
    void stoppingTheServerFlushesQueuedMessagesThenCloses1001() throws Exception {
        assertQueuedMessagesThenGoingAway(() -> LifeCycle.stop(server));
    }

    @Test
    void stoppingIsBoundedWhenAPeerNeitherReadsNorAnswers() throws Exception {
        try (RawWebSocket peer = slowPeer()) { // and never reads
            long start = System.nanoTime();
            server.stop();
            long stopMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(stopMillis < CLOSE_TIMEOUT_MS + PATIENCE_MS, "stop took " + stopMillis + " ms");
            assertTrue(peer.awaitDropped(PATIENCE_MS), "the connection was dropped");
        }
    }
}
