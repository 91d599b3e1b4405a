package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.breakwater.api.SendQueueFullException;
import io.breakwater.api.SessionSettings;
import io.breakwater.testing.OpenSessions;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A peer that stops reading: asynchronous sends are refused with {@link SendQueueFullException} once the
 * session's queue limit is reached, so the queue stays bounded; a blocking send fails with a
 * {@link SocketTimeoutException} after the send timeout and the session is closed; an asynchronous send
 * not written within its timeout fails the same way. Other sessions of the same server and client go on.
 */
class BackpressureTest {

    private static final long SERVER_QUEUE_LIMIT = 256 * 1024;
    private static final long SERVER_SEND_TIMEOUT = 500;
    private static final int CHUNK = 64 * 1024;
    /** What a queue that never refuses would let an application pile up before the test gives up. */
    private static final long GIVE_UP_BYTES = 512L << 20;
    /** How long the oldest queued send may go unwritten before the peer counts as no longer reading. */
    private static final long STALL_MILLIS = 300;

    private static final BreakwaterClientContainer container = new BreakwaterClientContainer();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.builder()
                .settings(defaults -> new SessionSettings(defaults.callbacks(), defaults.timers(),
                        defaults.maxTextMessageBuffer(), defaults.maxBinaryMessageBuffer(),
                        defaults.maxIdleTimeoutMillis(), SERVER_SEND_TIMEOUT, SERVER_QUEUE_LIMIT,
                        defaults.closeTimeoutMillis()))
                .start(ServerEndpointConfig.Builder.create(FloodingServer.class, "/flood").build(),
                        ServerEndpointConfig.Builder.create(MessageTypesTest.EchoEndpoint.class, "/echo").build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theServerSendingToAJdkClientThatStopsReading() throws Exception {
        FloodingServer.results.clear();
        // The JDK's client reads from the network only while its listener has asked for messages
        // (WebSocket.request); this one never asks.
        BlockingQueue<String> jdkEvents = new LinkedBlockingQueue<>();
        WebSocket jdk = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(server.uri("/flood"), new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        jdkEvents.add("open"); // and no request(1)
                    }

                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        jdkEvents.add("binary");
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertEquals("open", jdkEvents.poll(10, TimeUnit.SECONDS));
        jdk.sendText("flood", true).get(5, TimeUnit.SECONDS);

        String flood = FloodingServer.results.poll(30, TimeUnit.SECONDS);
        assertTrue(flood != null && flood.startsWith("refused after "), flood);
        assertEquals("still refused", FloodingServer.results.poll(10, TimeUnit.SECONDS));
        assertEquals("bounded", FloodingServer.results.poll(10, TimeUnit.SECONDS));

        // While the flooded session's blocking send waits, another session of the server works.
        RecordingClient other = new RecordingClient();
        Session otherSession = container.connectToServer(other, ClientEndpointConfig.Builder.create().build(),
                server.uri("/echo"));
        assertEquals("open", other.next());
        otherSession.getBasicRemote().sendText("meanwhile");
        assertEquals("text:meanwhile", other.next());

        String blocking = FloodingServer.results.poll(10, TimeUnit.SECONDS);
        assertTrue(blocking != null && blocking.startsWith("blocking send: SocketTimeoutException after "), blocking);
        long waited = Long.parseLong(blocking.replaceAll("\\D+", " ").trim().split(" ")[0]);
        assertTrue(waited >= SERVER_SEND_TIMEOUT - 50 && waited < SERVER_SEND_TIMEOUT + 3_000, blocking);
        // The timed-out session is closed: aborted, as what reached the peer is unknown.
        assertEquals("close:1006", FloodingServer.results.poll(10, TimeUnit.SECONDS));
        assertEquals("send after timeout: IOException", FloodingServer.results.poll(10, TimeUnit.SECONDS));

        otherSession.getBasicRemote().sendText("still here");
        assertEquals("text:still here", other.next());
        otherSession.close();
        assertEquals("close:1000:", other.next());
        jdk.abort();
    }

    @Test
    void theClientSendingToAServerThatNeverReads() throws Exception {
        BreakwaterClientContainer impatient = new BreakwaterClientContainer();
        impatient.setAsyncSendTimeout(300);
        assertEquals(300, impatient.getDefaultAsyncSendTimeout());
        try (RawServer stalled = new RawServer(key -> RawServer.switching(key, ""), RawServer.After.STALL)) {
            RecordingClient client = new RecordingClient();
            Session session = impatient.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                    stalled.uri("/"));
            assertEquals("open", client.next());
            assertEquals(300, session.getAsyncRemote().getSendTimeout());
            session.getAsyncRemote().setSendTimeout(0); // first the queue alone: no timeout for these
            List<Future<Void>> accepted = new ArrayList<>();
            SendQueueFullException refusal = flood(session, accepted);
            assertTrue(refusal.getMessage().contains("send queue full"), refusal.getMessage());
            // The default limit is 4 MiB of outgoing bytes per session; a chunk being written counts in part only.
            assertTrue(pending(accepted) <= (4L << 20) + CHUNK, pending(accepted) + " bytes accepted and not written");

            // While this session is stuck, another of the same client (and selector thread) works.
            try (TestServer echo = TestServer.start(
                    ServerEndpointConfig.Builder.create(MessageTypesTest.EchoEndpoint.class, "/echo").build())) {
                RecordingClient other = new RecordingClient();
                Session otherSession = impatient.connectToServer(other, ClientEndpointConfig.Builder.create().build(),
                        echo.uri("/echo"));
                assertEquals("open", other.next());
                otherSession.getBasicRemote().sendText("meanwhile");
                assertEquals("text:meanwhile", other.next());

                long started = System.nanoTime();
                try {
                    session.getBasicRemote().sendBinary(ByteBuffer.allocate(CHUNK));
                    fail("a blocking send to a peer that never reads completed");
                } catch (SocketTimeoutException expected) {
                    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    assertTrue(waited >= 250 && waited < 3_000, "waited " + waited + " ms");
                }
                assertEquals("close:1006:", client.nextNotError());
                assertTrue(OpenSessions.closedWithinTenSeconds(session));
                // Every send still queued failed with the session.
                for (Future<Void> future : accepted) {
                    try {
                        future.get(5, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        assertInstanceOf(IOException.class, e.getCause());
                    }
                }

                otherSession.getBasicRemote().sendText("still here");
                assertEquals("text:still here", other.next());
                otherSession.close();
                assertEquals("close:1000:", other.next());
            }
        }
    }

    @Test
    void anAsyncSendNotWrittenWithinItsTimeoutFailsAndClosesTheSession() throws Exception {
        try (RawServer stalled = new RawServer(key -> RawServer.switching(key, ""), RawServer.After.STALL)) {
            RecordingClient client = new RecordingClient();
            Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                    stalled.uri("/"));
            assertEquals("open", client.next());
            session.getAsyncRemote().setSendTimeout(300);
            // Fill the socket buffers and part of the queue; the sends still queued cannot be written in time.
            List<Future<Void>> sent = new ArrayList<>();
            for (int i = 0; i < 256; i++) {
                sent.add(session.getAsyncRemote().sendBinary(ByteBuffer.allocate(CHUNK / 4)));
            }
            long started = System.nanoTime();
            ExecutionException timedOut = null;
            for (Future<Void> future : sent) {
                try {
                    future.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    timedOut = timedOut != null ? timedOut : e;
                }
            }
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(timedOut != null, "every send was written: the socket buffers took 4 MiB");
            assertInstanceOf(SocketTimeoutException.class, timedOut.getCause(), String.valueOf(timedOut.getCause()));
            assertTrue(waited < 3_000, "waited " + waited + " ms");
            assertEquals("close:1006:", client.nextNotError());
            assertTrue(OpenSessions.closedWithinTenSeconds(session));
        }
    }

    /**
     * The bytes of the accepted sends not yet written: those queued, counting the one being written (the queue
     * counts only its unwritten rest) as a whole chunk.
     */
    static long pending(List<Future<Void>> accepted) {
        return accepted.stream().filter(future -> !future.isDone()).count() * CHUNK;
    }

    /**
     * Sends chunks without blocking until they are refused and the peer takes no more: after each refusal it
     * waits up to {@link #STALL_MILLIS} for the oldest queued send to be written (a peer that still reads
     * drains the queue, and the flood goes on). The accepted sends go into {@code accepted}.
     */
    static SendQueueFullException flood(Session session, List<Future<Void>> accepted) throws InterruptedException {
        for (long total = 0; total < GIVE_UP_BYTES; ) {
            Future<Void> future = session.getAsyncRemote().sendBinary(ByteBuffer.allocate(CHUNK));
            if (future.isDone()) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof SendQueueFullException full)) {
                        throw new AssertionError("a send failed otherwise: " + e.getCause(), e.getCause());
                    }
                    Future<Void> oldest = accepted.stream().filter(queued -> !queued.isDone()).findFirst().orElse(null);
                    if (oldest == null) {
                        continue;
                    }
                    try {
                        oldest.get(STALL_MILLIS, TimeUnit.MILLISECONDS);
                        continue; // written: the peer still reads
                    } catch (TimeoutException stalled) {
                        return full;
                    } catch (ExecutionException failed) {
                        throw new AssertionError("a queued send failed: " + failed.getCause(), failed.getCause());
                    }
                }
            }
            accepted.add(future);
            total += CHUNK;
        }
        throw new AssertionError(GIVE_UP_BYTES + " bytes accepted for a peer that does not read: the queue is unbounded");
    }

    /**
     * On "flood" fills its queue towards a peer that does not read, and reports what happened in
     * {@link #results}: the refusal, that later sends are refused too, that the queue stayed within its limit,
     * how a blocking send ended, and the close.
     */
    public static class FloodingServer extends Endpoint {
        static final BlockingQueue<String> results = new LinkedBlockingQueue<>();
        private volatile Session session;

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            this.session = session;
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                if (text.equals("flood")) {
                    flood();
                }
            });
        }

        private void flood() {
            try {
                session.getAsyncRemote().setSendTimeout(0); // the queue alone, no timeout for these
                List<Future<Void>> accepted = new ArrayList<>();
                SendQueueFullException refusal = BackpressureTest.flood(session, accepted);
                results.add("refused after " + accepted.size() + " sends: " + refusal.getMessage());
                // Ten more: together far more than the limit. The kernel may still find room for a few bytes
                // (it compacts a full receive queue now and then), so some may be accepted; not all of them.
                int refused = 0;
                for (int i = 0; i < 10; i++) {
                    Future<Void> more = session.getAsyncRemote().sendBinary(ByteBuffer.allocate(CHUNK));
                    if (more.isDone() && failedWith(more, SendQueueFullException.class)) {
                        refused++;
                    } else {
                        accepted.add(more);
                    }
                }
                results.add(refused > 0 ? "still refused" : "ten more sends were accepted");
                long pending = pending(accepted);
                results.add(pending <= SERVER_QUEUE_LIMIT + CHUNK ? "bounded" : pending + " bytes waiting");

                long started = System.nanoTime();
                try {
                    session.getBasicRemote().sendBinary(ByteBuffer.allocate(CHUNK));
                    results.add("blocking send completed");
                } catch (IOException e) {
                    results.add("blocking send: " + e.getClass().getSimpleName() + " after "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static boolean failedWith(Future<Void> future, Class<? extends Throwable> type) {
            try {
                future.get();
                return false;
            } catch (ExecutionException e) {
                return type.isInstance(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            results.add("close:" + closeReason.getCloseCode().getCode());
            try {
                session.getBasicRemote().sendText("too late");
                results.add("send after timeout: sent");
            } catch (IOException | RuntimeException refused) {
                results.add("send after timeout: " + refused.getClass().getSimpleName());
            }
        }

        @Override
        public void onError(Session session, Throwable thr) {
            if (!(thr instanceof UncheckedIOException)) {
                results.add("error:" + thr);
            }
        }
    }
}
