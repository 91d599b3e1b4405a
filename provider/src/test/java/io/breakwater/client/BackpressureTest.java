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
 * session's queue limit is reached, so the queue stays bounded (a refusal is reported in its turn, after
 * the sends before it, so it shows once those end: here, when the session is dropped); a blocking send fails with a
 * {@link SocketTimeoutException} after the send timeout and the session is closed; an asynchronous send
 * not written within its timeout fails the same way. Other sessions of the same server and client go on.
 */
class BackpressureTest {

    private static final long SERVER_QUEUE_LIMIT = 256 * 1024;
    private static final long SERVER_SEND_TIMEOUT = 500;
    /**
     * How much later than its timeout a send may fail: a bound against a hang only (the exception's type
     * says which timeout it was), loose enough for a loaded machine, and under the 10 s the test waits.
     */
    private static final long HUNG_MILLIS = 9_000;
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
                        defaults.closeTimeoutMillis(), defaults.keepalive()))
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
        assertTrue(flood != null && flood.startsWith("stalled after "), flood);

        // While the flooded session's blocking send waits, another session of the server works.
        RecordingClient other = new RecordingClient();
        Session otherSession = container.connectToServer(other, ClientEndpointConfig.Builder.create().build(),
                server.uri("/echo"));
        assertEquals("open", other.next());
        otherSession.getBasicRemote().sendText("meanwhile");
        assertEquals("text:meanwhile", other.next());

        // The flood's thread and the session's close report concurrently: their lines come in either order.
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String result = FloodingServer.results.poll(10, TimeUnit.SECONDS);
            assertTrue(result != null, "results so far: " + rest);
            rest.add(result);
        }
        String blocking = startingWith(rest, "blocking send: ");
        assertTrue(blocking.startsWith("blocking send: SocketTimeoutException after "), blocking);
        long waited = Long.parseLong(blocking.replaceAll("\\D+", " ").trim().split(" ")[0]);
        assertTrue(waited >= SERVER_SEND_TIMEOUT - 50 && waited < SERVER_SEND_TIMEOUT + HUNG_MILLIS, blocking);
        // The timed-out session is closed: aborted, as what reached the peer is unknown.
        assertTrue(rest.contains("close:1006"), rest.toString());
        assertTrue(rest.contains("send after timeout: IOException"), rest.toString());
        String outcomes = startingWith(rest, "outcomes: ");
        assertTrue(outcomes.matches("outcomes: [1-9][0-9]* refused, [0-9]+ accepted and unwritten of [0-9]+"), outcomes);
        long unwritten = Long.parseLong(outcomes.replaceAll(".* refused, ([0-9]+) accepted.*", "$1"));
        assertTrue(unwritten * CHUNK <= SERVER_QUEUE_LIMIT + CHUNK, outcomes + ": the queue passed its limit");

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
            List<Future<Void>> sent = new ArrayList<>();
            flood(session, sent, SessionSettings.DEFAULT_MAX_QUEUED_BYTES);

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
                    assertTrue(waited >= 250 && waited < HUNG_MILLIS, "waited " + waited + " ms");
                }
                assertEquals("close:1006:", client.nextNotError());
                assertTrue(OpenSessions.closedWithinTenSeconds(session));
                // Every send still queued failed with the session; those past the limit were refused, and
                // what was accepted and never written stayed within the limit (4 MiB by default; the
                // chunk being written counts in part only).
                Outcomes outcomes = Outcomes.of(sent);
                assertTrue(outcomes.refused() > 0, outcomes + ": nothing was refused");
                assertTrue(outcomes.refusal().getMessage().contains("send queue full"), outcomes.refusal().getMessage());
                assertTrue(outcomes.unwritten() * CHUNK <= SessionSettings.DEFAULT_MAX_QUEUED_BYTES + CHUNK,
                        outcomes + ": the queue passed its limit");

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
            assertTrue(waited < HUNG_MILLIS, "waited " + waited + " ms");
            assertEquals("close:1006:", client.nextNotError());
            assertTrue(OpenSessions.closedWithinTenSeconds(session));
        }
    }

    private static String startingWith(List<String> results, String prefix) {
        return results.stream().filter(result -> result.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no \"" + prefix + "\" in " + results));
    }

    /**
     * Sends chunks without blocking, each future into {@code sent}, until far more than the queue limit
     * waits and the oldest send has gone unwritten for {@link #STALL_MILLIS}: the peer no longer reads (one
     * that still reads, or a kernel that still takes bytes, lets the flood go on).
     */
    static void flood(Session session, List<Future<Void>> sent, long queueLimit) throws InterruptedException {
        long pastTheLimit = queueLimit + 8L * CHUNK;
        for (long total = 0; total < GIVE_UP_BYTES; total += CHUNK) {
            sent.add(session.getAsyncRemote().sendBinary(ByteBuffer.allocate(CHUNK)));
            if (sent.stream().filter(future -> !future.isDone()).count() * CHUNK < pastTheLimit) {
                continue;
            }
            Future<Void> oldest = sent.stream().filter(future -> !future.isDone()).findFirst().orElse(null);
            if (oldest == null) {
                continue; // all written meanwhile
            }
            try {
                oldest.get(STALL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stalled) {
                return;
            } catch (ExecutionException failed) {
                // Refused, and told in its turn now that the sends before it were written: the flood goes on.
                if (!(failed.getCause() instanceof SendQueueFullException)) {
                    throw new AssertionError("a send failed while the peer was still taking bytes: "
                            + failed.getCause(), failed.getCause());
                }
            }
        }
        throw new AssertionError(GIVE_UP_BYTES + " bytes written to a peer that does not read");
    }

    /**
     * How the sends of a flood ended, once the session is gone: refused (the queue was full), or accepted
     * and never written (they failed with the session).
     */
    record Outcomes(int sent, int refused, int unwritten, SendQueueFullException refusal) {
        static Outcomes of(List<Future<Void>> sent) throws InterruptedException {
            int refused = 0;
            int unwritten = 0;
            SendQueueFullException refusal = null;
            for (Future<Void> future : sent) {
                try {
                    future.get(5, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SendQueueFullException full) {
                        refused++;
                        refusal = refusal != null ? refusal : full;
                    } else {
                        assertInstanceOf(IOException.class, e.getCause());
                        unwritten++;
                    }
                } catch (TimeoutException e) {
                    throw new AssertionError("a send never completed after its session ended", e);
                }
            }
            return new Outcomes(sent.size(), refused, unwritten, refusal);
        }

        @Override
        public String toString() {
            return refused + " refused, " + unwritten + " accepted and unwritten of " + sent;
        }
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
                List<Future<Void>> sent = new ArrayList<>();
                BackpressureTest.flood(session, sent, SERVER_QUEUE_LIMIT);
                results.add("stalled after " + sent.size() + " sends");

                long started = System.nanoTime();
                try {
                    session.getBasicRemote().sendBinary(ByteBuffer.allocate(CHUNK));
                    results.add("blocking send completed");
                } catch (IOException e) {
                    results.add("blocking send: " + e.getClass().getSimpleName() + " after "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
                }
                // The timed-out blocking send dropped the session: every async send has its outcome now.
                results.add("outcomes: " + Outcomes.of(sent));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (AssertionError e) {
                results.add("error:" + e);
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
