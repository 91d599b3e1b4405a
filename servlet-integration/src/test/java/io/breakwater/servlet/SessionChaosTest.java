package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded chaos over the session layer: Breakwater in embedded Jetty and in embedded Tomcat,
 * application threads that send whole, partial and asynchronous messages, close and get interrupted,
 * against raw peers on loopback that read, flood pings, stop reading for a while or for good, reset or
 * half-close, with tiny idle, send and close timeouts.
 * Each session's plan comes from the seed, so a failing seed is rerun with
 * {@code -Dbreakwater.chaos.seed=N} (thread timing still differs between runs; the plan does not).
 * {@code -Dbreakwater.chaos.rounds=N} runs N seeds from there (the longer run in the README).
 *
 * <p>What is checked, in every round, as the application and the peer see it: each send completes
 * exactly once (a blocking send returns or throws, a SendHandler is told once, a Future ends); each
 * sender's messages arrive whole and in its order, and, when the peer got the server's Close frame,
 * every send that succeeded arrived; no frame follows the Close frame (RFC 6455 §5.5.1); no
 * message reaches {@code @OnMessage} once {@code @OnClose} has begun; {@code @OnClose} runs exactly once,
 * within the close timeout plus {@link #MARGIN_MS} of the application's close, and a peer that never
 * answers the Close is dropped within that bound too; no thread deadlocks; and
 * after the server stops, the thread count is back at the level it had before it started and no
 * session opened is reachable any more (nothing of the session layer leaks).
 */
@Timeout(600)
class SessionChaosTest {

    /** The seeds every build runs; others come from the system properties above. */
    private static final long FIRST_SEED = Long.getLong("breakwater.chaos.seed", 20261203L);
    private static final int ROUNDS = Integer.getInteger("breakwater.chaos.rounds", 3);
    private static final int SESSIONS_PER_ROUND = 16;
    private static final long CLOSE_TIMEOUT_MS = 300;
    /** Slack for a loaded machine between a deadline passing and {@code @OnClose} having run. */
    private static final long MARGIN_MS = 3_000;
    /** How long a round may take to end every session, on a busy machine. */
    private static final long PATIENCE_MS = 30_000;

    /** What each session of the running round does, by id (the path parameter). */
    static final Map<Integer, Plan> PLANS = new ConcurrentHashMap<>();
    /** What the server side saw, by id. */
    static final Map<Integer, ServerRecord> SERVER = new ConcurrentHashMap<>();

    enum Kind { TEXT, BINARY, PARTIAL_TEXT, PARTIAL_BINARY, ASYNC_FUTURE, ASYNC_HANDLER }

    /**
     * READER reads everything; PINGER floods pings and reads; STALLER stops reading for a while; DEAF
     * stops reading for good and never answers a Close; RESETTER
     * resets the connection; HALF_CLOSER ends its output without a Close frame.
     */
    enum Peer { READER, PINGER, STALLER, DEAF, RESETTER, HALF_CLOSER }

    record Message(int sender, int number, Kind kind, int size) {
        /** ASCII, so that any split is a valid UTF-8 split too: a header, then filler that depends on both. */
        byte[] bytes() {
            byte[] header = (sender + "|" + number + "|" + size + "|").getBytes(StandardCharsets.US_ASCII);
            byte[] bytes = new byte[Math.max(size, header.length)];
            System.arraycopy(header, 0, bytes, 0, header.length);
            for (int i = header.length; i < bytes.length; i++) {
                bytes[i] = (byte) ('a' + (sender * 7 + number * 13 + i) % 26);
            }
            return bytes;
        }
    }

    record Plan(long idleTimeoutMs, long asyncSendTimeoutMs, List<List<Message>> senders,
                long appCloseAfterMs, long interruptAfterMs, Peer peer, long peerActsAfterMs, int peerPings) {

        static Plan random(Random random) {
            Peer peer = Peer.values()[random.nextInt(Peer.values().length)];
            // A deaf peer has no idle timeout: its session ends through the application's close.
            long idle = peer == Peer.DEAF ? 0 : peer == Peer.STALLER || random.nextBoolean() ? 150 + random.nextInt(650) : 0;
            long sendTimeout = switch (random.nextInt(3)) {
                case 0 -> 0;
                case 1 -> -1;
                default -> 100 + random.nextInt(900);
            };
            List<List<Message>> senders = new ArrayList<>();
            int senderCount = 1 + random.nextInt(3);
            for (int s = 0; s < senderCount; s++) {
                List<Message> messages = new ArrayList<>();
                int count = 5 + random.nextInt(50);
                for (int n = 0; n < count; n++) {
                    int size = random.nextInt(10) == 0 ? 16_384 + random.nextInt(200_000) : 16 + random.nextInt(2_000);
                    messages.add(new Message(s, n, Kind.values()[random.nextInt(Kind.values().length)], size));
                }
                senders.add(messages);
            }
            // A deaf peer never answers a Close: the application always closes it, and only the close
            // deadline can then end the connection (RFC 6455 §7.1.1 leaves the wait to the endpoint).
            long appClose = peer == Peer.DEAF || random.nextInt(5) < 2 ? random.nextInt(400) : -1;
            long interrupt = random.nextInt(10) < 3 ? random.nextInt(300) : -1;
            return new Plan(idle, sendTimeout, senders, appClose, interrupt, peer, random.nextInt(400),
                    random.nextInt(300));
        }
    }

    /** The server side of one session: outcomes of sends, arrivals, closes, as the application saw them. */
    static final class ServerRecord {
        final Map<Message, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        final Map<Message, Boolean> succeeded = new ConcurrentHashMap<>();
        final Map<Integer, List<Integer>> handlerOrder = new ConcurrentHashMap<>();
        final Queue violations = new Queue();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicLong closedAtNanos = new AtomicLong();
        final AtomicLong appClosedAtNanos = new AtomicLong();
        volatile boolean closing;
        final CountDownLatch sendersDone = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();

        void outcome(Message message, boolean ok) {
            if (outcomes.computeIfAbsent(message, m -> new AtomicInteger()).incrementAndGet() > 1) {
                violations.add("send " + message + " completed more than once");
            }
            if (ok) {
                succeeded.put(message, true);
            }
        }
    }

    /** A queue of violations, for messages that name what went wrong. */
    static final class Queue extends ConcurrentLinkedQueue<String> {
    }

    @ServerEndpoint("/chaos/{id}")
    public static class ChaosEndpoint {
        private ServerRecord record;

        @OnOpen
        public void open(Session session, @PathParam("id") int id) {
            Plan plan = PLANS.get(id);
            OPENED.add(new WeakReference<>(session));
            record = new ServerRecord();
            SERVER.put(id, record);
            session.setMaxIdleTimeout(plan.idleTimeoutMs());
            session.getAsyncRemote().setSendTimeout(plan.asyncSendTimeoutMs());
            RemoteEndpoint.Basic basic = session.getBasicRemote();
            RemoteEndpoint.Async async = session.getAsyncRemote();
            for (List<Message> messages : plan.senders()) {
                Thread sender = new Thread(() -> send(basic, async, messages), "chaos-sender-" + id);
                record.threads.add(sender);
            }
            Thread director = new Thread(() -> direct(session, plan), "chaos-director-" + id);
            record.threads.forEach(Thread::start);
            director.start();
        }

        /** Closes and interrupts as planned, then waits for the senders. */
        private void direct(Session session, Plan plan) {
            long start = System.nanoTime();
            try {
                if (plan.interruptAfterMs() >= 0 && plan.interruptAfterMs() <= plan.appCloseAfterMs()) {
                    sleepUntil(start, plan.interruptAfterMs());
                    record.threads.get(0).interrupt();
                }
                if (plan.appCloseAfterMs() >= 0) {
                    sleepUntil(start, plan.appCloseAfterMs());
                    record.appClosedAtNanos.compareAndSet(0, System.nanoTime());
                    session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "planned"));
                }
                if (plan.interruptAfterMs() > plan.appCloseAfterMs()) {
                    sleepUntil(start, plan.interruptAfterMs());
                    record.threads.get(0).interrupt();
                }
                for (Thread sender : record.threads) {
                    sender.join(PATIENCE_MS);
                    if (sender.isAlive()) {
                        record.violations.add(sender.getName() + " still sending after " + PATIENCE_MS + " ms");
                    }
                }
            } catch (IOException | InterruptedException e) {
                record.violations.add("the director failed: " + e);
            } finally {
                record.sendersDone.countDown();
            }
        }

        private static void sleepUntil(long startNanos, long afterMs) throws InterruptedException {
            long left = startNanos + TimeUnit.MILLISECONDS.toNanos(afterMs) - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        }

        private void send(RemoteEndpoint.Basic basic, RemoteEndpoint.Async async, List<Message> messages) {
            List<Future<Void>> futures = new ArrayList<>();
            List<Message> futureMessages = new ArrayList<>();
            for (Message message : messages) {
                try {
                    sendOne(basic, async, message, futures, futureMessages);
                } catch (IOException | IllegalStateException failed) {
                    // A closed or failed session: IOException for a send, IllegalStateException for a
                    // session the API calls closed (Session's contract); both end this send.
                    record.outcome(message, false);
                } catch (RuntimeException unexpected) {
                    record.violations.add("send " + message + " threw " + unexpected);
                    record.outcome(message, false);
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                record.outcome(futureMessages.get(i), awaitOutcome(futures.get(i), futureMessages.get(i)));
            }
        }

        private void sendOne(RemoteEndpoint.Basic basic, RemoteEndpoint.Async async, Message message,
                             List<Future<Void>> futures, List<Message> futureMessages) throws IOException {
            byte[] bytes = message.bytes();
            switch (message.kind()) {
                case TEXT -> {
                    basic.sendText(new String(bytes, StandardCharsets.US_ASCII));
                    record.outcome(message, true);
                }
                case BINARY -> {
                    basic.sendBinary(ByteBuffer.wrap(bytes));
                    record.outcome(message, true);
                }
                case PARTIAL_TEXT, PARTIAL_BINARY -> {
                    int cut = bytes.length / 3;
                    int[] ends = {cut, 2 * cut, bytes.length};
                    int from = 0;
                    for (int i = 0; i < ends.length; i++) {
                        boolean last = i == ends.length - 1;
                        if (message.kind() == Kind.PARTIAL_TEXT) {
                            basic.sendText(new String(bytes, from, ends[i] - from, StandardCharsets.US_ASCII), last);
                        } else {
                            basic.sendBinary(ByteBuffer.wrap(bytes, from, ends[i] - from), last);
                        }
                        from = ends[i];
                    }
                    record.outcome(message, true);
                }
                case ASYNC_FUTURE -> {
                    futures.add(async.sendText(new String(bytes, StandardCharsets.US_ASCII)));
                    futureMessages.add(message);
                }
                case ASYNC_HANDLER -> async.sendBinary(ByteBuffer.wrap(bytes), (SendResult result) -> {
                    record.handlerOrder.computeIfAbsent(message.sender(), s -> new ArrayList<>()).add(message.number());
                    record.outcome(message, result.isOK());
                });
            }
        }

        private boolean awaitOutcome(Future<Void> future, Message message) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS);
            while (true) {
                try {
                    future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return true;
                } catch (InterruptedException interrupted) {
                    // The director's interrupt was for a send; the wait for the outcome goes on.
                } catch (java.util.concurrent.ExecutionException failed) {
                    return false;
                } catch (TimeoutException never) {
                    record.violations.add("the Future of " + message + " never completed");
                    return false;
                }
            }
        }

        @OnMessage
        public void message(String text) {
            if (record.closing) {
                record.violations.add("@OnMessage(" + text + ") after @OnClose began");
            }
        }

        @OnClose
        public void close(CloseReason reason) {
            record.closing = true;
            record.closedAtNanos.compareAndSet(0, System.nanoTime());
            record.closes.incrementAndGet();
        }
    }

    /** What the peer saw of one session. */
    static final class PeerRecord {
        final Map<Integer, List<Integer>> received = new ConcurrentHashMap<>();
        final Queue violations = new Queue();
        volatile boolean closeFrameReceived;
        /** When a deaf peer saw the connection end; 0 while it had not. */
        volatile long droppedAtNanos;
        final CountDownLatch ended = new CountDownLatch(1);
    }

    /** What the rounds did, so that a run shows it exercised what it claims (printed at the end). */
    static final class Totals {
        long sessions;
        long sends;
        long succeeded;
        long arrived;
        long closeFramesReceived;
        long applicationCloses;
        long maxCloseAfterApplicationMs;
        final Map<Peer, Long> peers = new java.util.EnumMap<>(Peer.class);

        void count(Plan plan, ServerRecord server, PeerRecord peer) {
            sessions++;
            sends += plan.senders().stream().mapToInt(List::size).sum();
            if (server != null) {
                succeeded += server.succeeded.size();
                long appClosed = server.appClosedAtNanos.get();
                if (appClosed != 0 && server.closedAtNanos.get() != 0) {
                    applicationCloses++;
                    maxCloseAfterApplicationMs = Math.max(maxCloseAfterApplicationMs,
                            TimeUnit.NANOSECONDS.toMillis(server.closedAtNanos.get() - appClosed));
                }
            }
            arrived += peer.received.values().stream().mapToInt(List::size).sum();
            closeFramesReceived += peer.closeFrameReceived ? 1 : 0;
            peers.merge(plan.peer(), 1L, Long::sum);
        }

        @Override
        public String toString() {
            return sessions + " sessions " + peers + ", " + sends + " sends, " + succeeded + " succeeded, "
                    + arrived + " arrived, " + closeFramesReceived + " Close frames received, "
                    + applicationCloses + " application closes, @OnClose at most " + maxCloseAfterApplicationMs
                    + " ms after one";
        }
    }

    /** The containers and upgrade mechanisms every round runs in, each with its own way of reading. */
    enum Container {
        /** Jetty's own connection upgrade (JettyUpgrade). */
        JETTY,
        /** Tomcat's internal upgrade (TomcatUpgrade). */
        TOMCAT,
        /** The portable servlet path on Tomcat: HttpServletRequest.upgrade with the servlet streams. */
        TOMCAT_SERVLET_STREAMS
    }

    /** Weak references to every session opened: none may be left once the server stops. */
    static final ConcurrentLinkedQueue<WeakReference<Session>> OPENED = new ConcurrentLinkedQueue<>();

    private final Totals totals = new Totals();

    @ParameterizedTest
    @EnumSource(Container.class)
    void everyInvariantHoldsInEveryRound(Container container, @TempDir Path baseDir) throws Exception {
        int baselineThreads = ManagementFactory.getThreadMXBean().getThreadCount();
        OPENED.clear();
        Map<String, String> parameters = new HashMap<>(Map.of(
                BreakwaterServletContainerInitializer.CLOSE_TIMEOUT_PARAMETER, Long.toString(CLOSE_TIMEOUT_MS),
                BreakwaterServletContainerInitializer.MAX_QUEUED_BYTES_PARAMETER, Integer.toString(512 * 1024)));
        if (container == Container.TOMCAT_SERVLET_STREAMS) {
            parameters.put(UpgradeMechanism.PARAMETER, "servlet");
        }
        AutoCloseable stop;
        int port;
        if (container == Container.JETTY) {
            ServletContextHandler context = new ServletContextHandler("/app");
            parameters.forEach(context::setInitParameter);
            context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), ChaosEndpoint.class);
            Server server = EmbeddedJetty.server(new QueuedThreadPool());
            port = EmbeddedJetty.start(server, context);
            stop = server::stop;
        } else {
            EmbeddedTomcat tomcat = EmbeddedTomcat.start(baseDir, parameters, ChaosEndpoint.class);
            port = tomcat.port();
            stop = tomcat::stop;
        }
        try (DeadlockWatch deadlocks = new DeadlockWatch()) {
            for (int round = 0; round < ROUNDS; round++) {
                long seed = FIRST_SEED + round;
                runRound(port, seed);
                assertNull(deadlocks.deadlock(), container + ", seed " + seed);
            }
        } finally {
            stop.close();
            PLANS.clear();
            SERVER.clear(); // the records hold the sender threads, whose tasks hold their sessions
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS);
        int threads;
        while ((threads = ManagementFactory.getThreadMXBean().getThreadCount()) > baselineThreads
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(threads <= baselineThreads, container + ": threads " + threads + " after the server stopped, "
                + baselineThreads + " before it started");
        long opened = OPENED.size();
        long retained = sessionsStillReachable(deadline);
        assertEquals(0, retained, container + ": " + retained + " of " + opened
                + " sessions still reachable after the server stopped");
        System.out.println("SessionChaosTest on " + container + ", seeds " + FIRST_SEED + "+" + ROUNDS + ": " + totals
                + "; threads " + baselineThreads + " before, " + threads + " after; " + opened
                + " sessions opened, none reachable after");
    }

    /** How many opened sessions are still reachable once collections have had until {@code deadline} to clear them. */
    private static long sessionsStillReachable(long deadline) throws InterruptedException {
        long reachable;
        while ((reachable = OPENED.stream().filter(session -> session.get() != null).count()) > 0
                && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }
        return reachable;
    }

    private void runRound(int port, long seed) throws Exception {
        Random random = new Random(seed);
        PLANS.clear();
        SERVER.clear();
        List<PeerRecord> peers = new ArrayList<>();
        List<Thread> peerThreads = new ArrayList<>();
        for (int id = 0; id < SESSIONS_PER_ROUND; id++) {
            Plan plan = Plan.random(random);
            PLANS.put(id, plan);
            PeerRecord peer = new PeerRecord();
            peers.add(peer);
            int sessionId = id;
            Thread thread = new Thread(() -> runPeer(port, sessionId, plan, peer, new Random(random.nextLong())),
                    "chaos-peer-" + id);
            peerThreads.add(thread);
        }
        peerThreads.forEach(Thread::start);
        for (Thread thread : peerThreads) {
            thread.join(PATIENCE_MS * 2);
            assertTrue(!thread.isAlive(), "seed " + seed + ": " + thread.getName() + " never ended");
        }
        for (int id = 0; id < SESSIONS_PER_ROUND; id++) {
            totals.count(PLANS.get(id), SERVER.get(id), peers.get(id));
            Plan plan = PLANS.get(id);
            check("seed " + seed + ", session " + id + " (" + plan.peer() + ", idle " + plan.idleTimeoutMs()
                    + " ms, send timeout " + plan.asyncSendTimeoutMs() + " ms, close at " + plan.appCloseAfterMs()
                    + " ms, interrupt at " + plan.interruptAfterMs() + " ms)", plan, peers.get(id), id);
        }
    }

    private void check(String where, Plan plan, PeerRecord peer, int id) throws InterruptedException {
        ServerRecord server = SERVER.get(id);
        assertTrue(server != null, where + ": the session never opened");
        assertTrue(server.sendersDone.await(PATIENCE_MS * 2, TimeUnit.MILLISECONDS), where + ": senders never ended");
        long closeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS);
        while (server.closes.get() == 0 && System.nanoTime() < closeDeadline) {
            Thread.sleep(10);
        }
        Thread.sleep(50); // a second @OnClose, were there one, has had its chance
        assertEquals(1, server.closes.get(), where + ": @OnClose calls");
        assertEquals(List.of(), List.copyOf(server.violations), where);
        assertEquals(List.of(), List.copyOf(peer.violations), where);
        for (List<Message> messages : plan.senders()) {
            for (Message message : messages) {
                AtomicInteger told = server.outcomes.get(message);
                assertEquals(1, told == null ? 0 : told.get(), where + ": completions of " + message);
            }
        }
        server.handlerOrder.forEach((sender, numbers) -> assertTrue(increasing(numbers),
                where + ": SendHandlers of sender " + sender + " told out of send order: " + numbers));
        peer.received.forEach((sender, numbers) -> assertTrue(increasing(numbers),
                where + ": sender " + sender + "'s messages arrived out of order or twice: " + numbers));
        if (peer.closeFrameReceived) {
            // Everything written before the Close frame arrived before it, so every send that succeeded
            // arrived. (One that failed may have arrived too: a send interrupted or timed out once its
            // bytes were handed on aborts the connection, and what reached the peer is then unknown.)
            for (List<Message> messages : plan.senders()) {
                for (Message message : messages) {
                    boolean arrived = peer.received.getOrDefault(message.sender(), List.of()).contains(message.number());
                    assertTrue(arrived || !server.succeeded.containsKey(message),
                            where + ": " + message + " succeeded but never arrived before the Close frame");
                }
            }
        }
        long appClosed = server.appClosedAtNanos.get();
        if (appClosed != 0) {
            long tookMs = TimeUnit.NANOSECONDS.toMillis(server.closedAtNanos.get() - appClosed);
            assertTrue(tookMs <= CLOSE_TIMEOUT_MS + MARGIN_MS,
                    where + ": @OnClose " + tookMs + " ms after the application's close");
            if (plan.peer() == Peer.DEAF) {
                assertTrue(peer.droppedAtNanos != 0, where + ": the connection to a deaf peer was never dropped");
                long droppedMs = TimeUnit.NANOSECONDS.toMillis(peer.droppedAtNanos - appClosed);
                assertTrue(droppedMs <= CLOSE_TIMEOUT_MS + MARGIN_MS,
                        where + ": the deaf peer's connection dropped " + droppedMs + " ms after the application's close");
            }
        }
    }

    private static boolean increasing(List<Integer> numbers) {
        for (int i = 1; i < numbers.size(); i++) {
            if (numbers.get(i) <= numbers.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------ the peer

    private void runPeer(int port, int id, Plan plan, PeerRecord record, Random random) {
        Socket socket = new Socket();
        try {
            if (plan.peer() == Peer.DEAF) {
                socket.setReceiveBufferSize(8 * 1024); // so that the server's queue fills too
            }
            RawWebSocket ws = RawWebSocket.open(socket, port, "/app/chaos/" + id);
            Thread reader = new Thread(() -> read(ws, id, plan, record), "chaos-peer-reader-" + id);
            reader.start();
            Thread.sleep(plan.peerActsAfterMs());
            switch (plan.peer()) {
                case READER, STALLER -> {
                    for (int i = 0; i < 5 && !socket.isClosed(); i++) {
                        send(ws, RawWebSocket.TEXT, ("c|" + i).getBytes(StandardCharsets.US_ASCII));
                    }
                    send(ws, RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8});
                }
                case PINGER -> {
                    for (int i = 0; i < plan.peerPings(); i++) {
                        send(ws, RawWebSocket.PING, new byte[] {(byte) i});
                    }
                    send(ws, RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8});
                }
                case RESETTER -> {
                    socket.setSoLinger(true, 0);
                    socket.close();
                }
                case HALF_CLOSER -> socket.shutdownOutput();
                case DEAF -> { }
            }
            reader.join(PATIENCE_MS + plan.idleTimeoutMs());
            if (reader.isAlive()) {
                record.violations.add("the server never ended the connection");
                socket.close();
            }
        } catch (IOException | InterruptedException e) {
            // A reset or a server that closed first: what matters is what the reader and server saw.
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
            record.ended.countDown();
        }
    }

    /** The peer's writes; one writer thread per connection, so frames never interleave. */
    private static void send(RawWebSocket ws, int opcode, byte[] payload) throws IOException {
        ws.send(true, 0, opcode, payload);
    }

    /** Reads frames to the end of the connection, assembling messages; a STALLER stops reading for a while. */
    private void read(RawWebSocket ws, int id, Plan plan, PeerRecord record) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int frames = 0;
        try {
            while (true) {
                if (plan.peer() == Peer.STALLER && frames == 3) {
                    Thread.sleep(plan.idleTimeoutMs() + CLOSE_TIMEOUT_MS * 2);
                }
                if (plan.peer() == Peer.DEAF && frames == 3) {
                    // @OnClose comes once the server's Close frame is out (or the connection is gone);
                    // the peer's Close never comes, so only the close deadline may drop TCP: discarding
                    // what arrives from here, the peer notes when that happened.
                    awaitServerClose(id);
                    if (ws.awaitDropped(PATIENCE_MS)) {
                        record.droppedAtNanos = System.nanoTime();
                    }
                    return;
                }
                RawWebSocket.Frame frame = ws.read();
                frames++;
                if (record.closeFrameReceived) {
                    record.violations.add("a frame (opcode " + frame.opcode() + ") after the Close frame");
                }
                switch (frame.opcode()) {
                    case RawWebSocket.CLOSE -> record.closeFrameReceived = true;
                    case RawWebSocket.PING, RawWebSocket.PONG -> { }
                    default -> {
                        message.writeBytes(frame.payload());
                        if (frame.fin()) {
                            arrived(message.toByteArray(), record);
                            message.reset();
                        }
                    }
                }
            }
        } catch (IOException end) {
            // The connection ended (EOF or reset): a message cut short by it never arrived. A deaf peer
            // may see this before it stops reading (an interrupted send under way aborts the connection).
            if (plan.peer() == Peer.DEAF && record.droppedAtNanos == 0) {
                record.droppedAtNanos = System.nanoTime();
            }
        } catch (InterruptedException stopped) {
            // not interrupted by the test: only its own sleeps are interruptible here
        }
    }

    /** Waits, reading nothing, until the server's {@code @OnClose} has run (or patience runs out). */
    private static void awaitServerClose(int id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS);
        while (System.nanoTime() < deadline) {
            ServerRecord server = SERVER.get(id);
            if (server != null && server.closes.get() > 0) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private static void arrived(byte[] bytes, PeerRecord record) {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        String[] head = text.split("\\|", 4);
        Message message = new Message(Integer.parseInt(head[0]), Integer.parseInt(head[1]), Kind.TEXT,
                Integer.parseInt(head[2]));
        if (!java.util.Arrays.equals(message.bytes(), bytes)) {
            record.violations.add("message " + head[0] + "|" + head[1] + " arrived corrupted");
        }
        record.received.computeIfAbsent(message.sender(), s -> new ArrayList<>()).add(message.number());
    }
}
