package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.server.BreakwaterServerContainer;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regressions of the session layer (who owns the engine, the outgoing frames, the deadlines and the
 * callback threads), each as a user meets it: Breakwater deployed in embedded Jetty 12.1 through its
 * {@code ServletContainerInitializer}, a real peer on a loopback socket, and what that peer or the
 * endpoint can see. Each failed before the redesign of the session layer.
 *
 * <p>Bounds asserted as "within" are generous upper bounds for a loaded machine, never speed claims.
 */
@Timeout(120)
class SessionLayerRegressionTest {

    /** How long the server may take to do what a test waits for, on a busy machine. */
    static final long PATIENCE_MS = 20_000;

    // ------------------------------------------------------------------------------ endpoints

    /**
     * Replies with the same ByteBuffer every time, refilled: the method has returned, so the application
     * may reuse it at once, and each reply must still go out with the bytes it had when returned.
     */
    @ServerEndpoint("/reused-buffer")
    public static class ReusedBufferReplies {
        private final ByteBuffer reply = ByteBuffer.allocate(64);

        @OnMessage
        public ByteBuffer message(String text) {
            reply.clear();
            reply.put(RawWebSocket.utf8("re:" + text)).flip();
            return reply;
        }
    }

    /** As {@link ReusedBufferReplies}, with one byte[] refilled (the messages all have the same length). */
    @ServerEndpoint("/reused-array")
    public static class ReusedArrayReplies {
        private byte[] reply;

        @OnMessage
        public byte[] message(String text) {
            byte[] bytes = RawWebSocket.utf8("re:" + text);
            if (reply == null) {
                reply = new byte[bytes.length];
            }
            System.arraycopy(bytes, 0, reply, 0, reply.length);
            return reply;
        }
    }

    static final AtomicInteger IDLE_CLOSES = new AtomicInteger();
    static final BlockingQueue<CloseReason> IDLE_CLOSE_REASONS = new LinkedBlockingQueue<>();

    /** Closes after two idle seconds; reads nothing and sends nothing itself (the engine answers pings). */
    @ServerEndpoint("/idle")
    public static class ShortIdleTimeout {
        @OnOpen
        public void open(Session session) {
            session.setMaxIdleTimeout(2_000);
        }

        @OnMessage
        public void message(String text) {
        }

        @OnClose
        public void close(CloseReason reason) {
            IDLE_CLOSES.incrementAndGet();
            IDLE_CLOSE_REASONS.add(reason);
        }
    }

    /** What {@link SendHandlerWaiter} saw: whether its handler ran in time, and the loaders of both. */
    record HandlerReport(boolean handlerRanWhileWaiting, ClassLoader onMessageLoader, ClassLoader handlerLoader) {
    }

    static final BlockingQueue<HandlerReport> HANDLER_REPORTS = new LinkedBlockingQueue<>();
    static final BlockingQueue<Throwable> HANDLER_ERRORS = new LinkedBlockingQueue<>();

    /**
     * Sends asynchronously from {@code @OnMessage} and waits there for its own SendHandler, as code does
     * that turns the async API into a blocking one. With one callback thread the handler must not need a
     * callback slot: the waiting method holds the only one.
     */
    @ServerEndpoint("/send-handler")
    public static class SendHandlerWaiter {
        @OnMessage
        public void message(Session session, String text) throws InterruptedException {
            if (text.equals("throw")) {
                session.getAsyncRemote().sendText("thrown", result -> {
                    throw new IllegalStateException("thrown by the SendHandler");
                });
                return;
            }
            CountDownLatch handled = new CountDownLatch(1);
            AtomicReference<ClassLoader> handlerLoader = new AtomicReference<>();
            SendHandler handler = result -> {
                handlerLoader.set(Thread.currentThread().getContextClassLoader());
                handled.countDown();
            };
            session.getAsyncRemote().sendText("sent:" + text, handler);
            boolean ranWhileWaiting = handled.await(5, TimeUnit.SECONDS);
            HANDLER_REPORTS.add(new HandlerReport(ranWhileWaiting, Thread.currentThread().getContextClassLoader(),
                    handlerLoader.get()));
        }

        @OnError
        public void error(Throwable error) {
            HANDLER_ERRORS.add(error);
        }
    }

    static final BlockingQueue<String> CLOSING_EVENTS = new LinkedBlockingQueue<>();

    /**
     * Closes the session in {@code @OnMessage} for the first message; records every call in order, with
     * what isOpen() said, so that the test can tell whether a message reached it after onClose began.
     */
    @ServerEndpoint("/close-on-first")
    public static class CloseOnFirstMessage {
        private boolean closed;

        @OnMessage
        public void message(Session session, String text) throws IOException {
            CLOSING_EVENTS.add("message " + text.substring(0, Math.min(8, text.length())).trim()
                    + " open=" + session.isOpen());
            if (!closed) {
                closed = true;
                session.close();
            }
        }

        @OnClose
        public void close() {
            CLOSING_EVENTS.add("close");
        }
    }

    static final BlockingQueue<Throwable> BLOCKING_SEND_RESULTS = new LinkedBlockingQueue<>();
    /** What the test makes the endpoint's async send timeout, before it connects. */
    static volatile long asyncSendTimeout;
    /** The size of the message {@link BlockingSendWithoutTimeout} answers with. */
    static final int LARGE_MESSAGE = 16 << 20;

    /**
     * Answers a message with a large blocking send, under a send timeout the test sets to 0 or -1: "none".
     * Large, so that it cannot be written within the sending call: a send timed out at once would then fail.
     */
    @ServerEndpoint("/no-send-timeout")
    public static class BlockingSendWithoutTimeout {
        @OnOpen
        public void open(Session session) {
            // What a user sets for "no timeout"; the blocking send reads the container's default (set by the test).
            session.getAsyncRemote().setSendTimeout(asyncSendTimeout);
        }

        @OnMessage
        public void message(Session session, String text) {
            char[] large = new char[LARGE_MESSAGE];
            Arrays.fill(large, 'x');
            try {
                session.getBasicRemote().sendText(new String(large));
                BLOCKING_SEND_RESULTS.add(new NoFailure());
            } catch (IOException | RuntimeException e) {
                BLOCKING_SEND_RESULTS.add(e);
            }
        }
    }

    /** Stands for a send that succeeded, in a queue of results that cannot hold null. */
    static final class NoFailure extends Throwable {
        NoFailure() {
            super("no failure", null, false, false);
        }
    }

    static final BlockingQueue<Session> NO_STATUS_SESSIONS = new LinkedBlockingQueue<>();
    static final BlockingQueue<Throwable> NO_STATUS_CLOSE_FAILURES = new LinkedBlockingQueue<>();
    static final BlockingQueue<CloseReason> NO_STATUS_CLOSES = new LinkedBlockingQueue<>();

    /** Closes with 1005, "no status code", when asked to: a close frame without a body (RFC 6455 §7.4.1). */
    @ServerEndpoint("/close-1005")
    public static class CloseWithNoStatus {
        @OnOpen
        public void open(Session session) {
            NO_STATUS_SESSIONS.add(session);
        }

        @OnMessage
        public void message(Session session, String text) {
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.NO_STATUS_CODE, "bye"));
            } catch (IOException | RuntimeException e) {
                NO_STATUS_CLOSE_FAILURES.add(e);
            }
        }

        @OnClose
        public void close(CloseReason reason) {
            NO_STATUS_CLOSES.add(reason);
        }
    }

    static final int MANY_SENDS = 200_000;
    static final AtomicInteger MANY_SENDS_DONE = new AtomicInteger();
    static final BlockingQueue<String> MANY_SENDS_FINISHED = new LinkedBlockingQueue<>();

    /**
     * Sends {@value #MANY_SENDS} small async messages with a SendHandler that does nothing but count
     * (and let the sender go on: no more than a few thousand unwritten at a time, below the queue limit).
     */
    @ServerEndpoint("/many-async")
    public static class ManyAsyncSends {
        @OnMessage
        public void message(Session session, String text) {
            Thread sender = new Thread(() -> {
                Semaphore inFlight = new Semaphore(5_000);
                SendHandler handler = result -> {
                    MANY_SENDS_DONE.incrementAndGet();
                    inFlight.release();
                };
                try {
                    for (int i = 0; i < MANY_SENDS; i++) {
                        inFlight.acquire();
                        session.getAsyncRemote().sendText("m" + i, handler);
                    }
                    inFlight.acquire(5_000); // every handler has run
                    MANY_SENDS_FINISHED.add("done");
                } catch (InterruptedException e) {
                    MANY_SENDS_FINISHED.add("interrupted");
                }
            }, "many-async-sender");
            sender.setDaemon(true);
            sender.start();
        }
    }

    // ------------------------------------------------------------------------------ the server

    private Server server;
    private ServletContextHandler context;
    private ClassLoader applicationLoader;

    @BeforeEach
    void clear() {
        IDLE_CLOSES.set(0);
        IDLE_CLOSE_REASONS.clear();
        HANDLER_REPORTS.clear();
        HANDLER_ERRORS.clear();
        CLOSING_EVENTS.clear();
        BLOCKING_SEND_RESULTS.clear();
        NO_STATUS_SESSIONS.clear();
        NO_STATUS_CLOSE_FAILURES.clear();
        NO_STATUS_CLOSES.clear();
        MANY_SENDS_DONE.set(0);
        MANY_SENDS_FINISHED.clear();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** Deploys {@code endpoints} at /app with {@code parameters} as context parameters; returns the port. */
    private int start(Map<String, String> parameters, Class<?>... endpoints) throws Exception {
        context = new ServletContextHandler("/app");
        // A class loader of its own, as a web application has, to tell it from the test's.
        applicationLoader = new URLClassLoader(new URL[0], getClass().getClassLoader());
        context.setClassLoader(applicationLoader);
        parameters.forEach(context::setInitParameter);
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), endpoints);
        server = EmbeddedJetty.server(new QueuedThreadPool());
        return EmbeddedJetty.start(server, context);
    }

    private BreakwaterServerContainer container() {
        return (BreakwaterServerContainer) context.getServletContext()
                .getAttribute(BreakwaterServletContainerInitializer.CONTAINER_ATTRIBUTE);
    }

    private int openSessions() {
        BreakwaterServerContainer container = container();
        return container.endpointConfigs().stream().mapToInt(config -> container.group(config).sessions().size()).sum();
    }

    // ------------------------------------------------------------------------------ 1. returned buffers

    @Test
    void aReturnedByteBufferThatTheEndpointReusesIsSentWithTheBytesItHadWhenReturned() throws Exception {
        assertEachReplyHasItsOwnBytes("/app/reused-buffer");
    }

    @Test
    void aReturnedByteArrayThatTheEndpointReusesIsSentWithTheBytesItHadWhenReturned() throws Exception {
        assertEachReplyHasItsOwnBytes("/app/reused-array");
    }

    /**
     * Five messages in one write: on Jetty their replies are collected and written together after the
     * read's callbacks have run, by which time the endpoint has refilled its buffer four more times.
     */
    private void assertEachReplyHasItsOwnBytes(String path) throws Exception {
        int port = start(Map.of(), ReusedBufferReplies.class, ReusedArrayReplies.class);
        List<String> messages = List.of("m0", "m1", "m2", "m3", "m4");
        try (RawWebSocket peer = RawWebSocket.open(port, path)) {
            // One round trip first: input that arrives before onOpen has returned is held and handled on a
            // callback thread, where replies are sent one by one; the five must come in one read of an
            // open session, whose replies Jetty's reading thread collects and writes together.
            peer.send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("m9"));
            assertEquals("re:m9", RawWebSocket.utf8(peer.read().payload()));
            peer.sendRaw(textFrames(messages));
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                RawWebSocket.Frame reply = peer.read();
                assertEquals(RawWebSocket.BINARY, reply.opcode(), "reply " + i + " is binary");
                replies.add(RawWebSocket.utf8(reply.payload()));
            }
            assertEquals(List.of("re:m0", "re:m1", "re:m2", "re:m3", "re:m4"), replies);
        }
    }

    // ------------------------------------------------------------------------------ 2. a peer that never reads

    /**
     * A peer that floods pings and reads nothing: the server stops reading once the pongs pile up, the
     * session goes idle, and its close frame can never be written. The close deadline starts when the
     * close is decided, not when its frame is written, so the connection still ends, at about the idle
     * timeout (2 s) plus the close timeout (5 s), and onClose runs once.
     */
    @Test
    void aPeerThatFloodsPingsAndNeverReadsIsDisconnectedAfterTheIdleAndCloseTimeouts() throws Exception {
        int port = start(Map.of(BreakwaterServletContainerInitializer.CLOSE_TIMEOUT_PARAMETER, "5000"),
                ShortIdleTimeout.class);
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4 * 1024);
        try (RawWebSocket peer = RawWebSocket.open(socket, port, "/app/idle")) {
            byte[] batch = pings(64, 125);
            AtomicLong written = new AtomicLong();
            CompletableFuture<IOException> writeFailure = new CompletableFuture<>();
            Thread flooder = new Thread(() -> {
                try {
                    while (written.get() < 1L << 30) { // a safety stop at 1 GiB for a server without any bound
                        peer.sendRaw(batch);
                        written.addAndGet(batch.length);
                    }
                    writeFailure.complete(null);
                } catch (IOException endedByServer) {
                    writeFailure.complete(endedByServer);
                }
            }, "ping-flooder");
            flooder.setDaemon(true);
            flooder.start();
            // The flooder's write blocks once the server stops reading; it fails once the server ends TCP.
            // Nothing is read meanwhile: reading would let the server write its pongs and close frame.
            IOException failure;
            try {
                failure = writeFailure.get(PATIENCE_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillOpen) {
                failure = null;
            }
            assertNotNull(failure, "the server ended the connection of a peer that never reads within "
                    + PATIENCE_MS + " ms (" + (written.get() >> 10) + " KiB of pings written, write "
                    + (writeFailure.isDone() ? "ended" : "still blocked") + ")");
            assertTrue(peer.awaitDropped(PATIENCE_MS), "the peer's socket sees the end of the connection");
        }
        CloseReason reason = IDLE_CLOSE_REASONS.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
        assertNotNull(reason, "@OnClose ran");
        assertEventually(() -> openSessions() == 0, "the session was released");
        assertEquals(1, IDLE_CLOSES.get(), "@OnClose ran exactly once; the last was " + reason);
    }

    /** {@code count} masked pings (a zero masking key) of {@code size} bytes each, back to back. */
    private static byte[] pings(int count, int size) {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            frames.writeBytes(RawWebSocket.header(true, 0, RawWebSocket.PING, size));
            frames.writeBytes(new byte[4]);
            frames.writeBytes(new byte[size]);
        }
        return frames.toByteArray();
    }

    // ------------------------------------------------------------------------------ 4. SendHandlers

    /**
     * With one callback thread, {@code @OnMessage} holds it while it waits for its own send's SendHandler:
     * the handler runs meanwhile, and with the web application's class loader, as {@code @OnMessage} does.
     */
    @Test
    void aSendHandlerRunsWhileTheOnlyCallbackThreadWaitsForItWithTheApplicationsClassLoader() throws Exception {
        int port = start(Map.of(BreakwaterServletContainerInitializer.CALLBACK_THREADS_PARAMETER, "1"),
                SendHandlerWaiter.class);
        try (RawWebSocket peer = RawWebSocket.open(port, "/app/send-handler")) {
            peer.send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("hello"));
            assertEquals("sent:hello", peer.readMessage());
            HandlerReport report = HANDLER_REPORTS.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
            assertNotNull(report, "@OnMessage returned");
            assertTrue(report.handlerRanWhileWaiting(),
                    "the SendHandler ran while @OnMessage waited for it on the only callback thread");
            assertSame(applicationLoader, report.onMessageLoader(), "@OnMessage ran with the application's loader");
            assertSame(applicationLoader, report.handlerLoader(), "the SendHandler ran with the application's loader");
        }
    }

    @Test
    void whatASendHandlerThrowsReachesTheEndpointsOnError() throws Exception {
        int port = start(Map.of(BreakwaterServletContainerInitializer.CALLBACK_THREADS_PARAMETER, "1"),
                SendHandlerWaiter.class);
        try (RawWebSocket peer = RawWebSocket.open(port, "/app/send-handler")) {
            peer.send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("throw"));
            assertEquals("thrown", peer.readMessage());
            Throwable error = HANDLER_ERRORS.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
            assertNotNull(error, "@OnError heard of the SendHandler's exception");
            assertTrue(causes(error).stream().anyMatch(cause -> cause instanceof IllegalStateException
                    && "thrown by the SendHandler".equals(cause.getMessage())), String.valueOf(error));
        }
    }

    private static List<Throwable> causes(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    // ------------------------------------------------------------------------------ 5. messages after onClose

    /**
     * The endpoint closes on the first message; twenty more came in the same write and the peer answers
     * the close only after them. None of them may reach {@code @OnMessage} once {@code @OnClose} has begun
     * (and none with isOpen() false). The messages are large enough (8 KiB each) that Jetty hands them
     * over in several reads, so that some are parsed after the close has been decided.
     */
    @Test
    void noMessageReachesOnMessageAfterOnCloseBegan() throws Exception {
        int port = start(Map.of(), CloseOnFirstMessage.class);
        List<String> messages = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            messages.add(padded("#" + i, 8 * 1024));
        }
        try (RawWebSocket peer = RawWebSocket.open(port, "/app/close-on-first")) {
            peer.sendRaw(textFrames(messages));
            RawWebSocket.Frame close = peer.readUntilClose();
            assertEquals(1000, close.closeCode(), "the server's close frame");
            peer.sendClose(1000); // only now, with all twenty sent, the peer answers the close
            assertTrue(peer.awaitDropped(PATIENCE_MS), "the server ended the connection");
        }
        assertEventually(() -> CLOSING_EVENTS.contains("close"), "@OnClose ran");
        assertEventually(() -> openSessions() == 0, "the session was released");
        // A message dispatched after onClose would run right behind it; give it a moment to show up.
        Thread.sleep(500);
        List<String> events = new ArrayList<>(CLOSING_EVENTS);
        assertEquals("message #0 open=true", events.get(0), events.toString());
        int onClose = events.indexOf("close");
        assertEquals(List.of(), events.subList(onClose + 1, events.size()),
                "no @OnMessage call after @OnClose began: " + events);
        assertTrue(events.stream().noneMatch(event -> event.endsWith("open=false")),
                "no @OnMessage call saw isOpen() false: " + events);
    }

    private static String padded(String text, int length) {
        char[] chars = new char[length];
        Arrays.fill(chars, ' ');
        text.getChars(0, text.length(), chars, 0);
        return new String(chars);
    }

    // ------------------------------------------------------------------------------ 6. a send timeout of 0 or -1

    /**
     * A send timeout of 0 means none (RemoteEndpoint.Async#setSendTimeout: "Non-positive values indicate
     * an infinite timeout"). Breakwater's blocking send takes its timeout from the container's default
     * async send timeout ({@code WebSocketContainer.setAsyncSendTimeout}), so that is what is set to 0 here,
     * besides the session's own async timeout in onOpen.
     */
    @Test
    void aBlockingSendUnderASendTimeoutOfZeroWaitsAsLongAsItTakes() throws Exception {
        assertBlockingSendSucceedsUnderSendTimeout(0);
    }

    @Test
    void aBlockingSendUnderANegativeSendTimeoutWaitsAsLongAsItTakes() throws Exception {
        assertBlockingSendSucceedsUnderSendTimeout(-1);
    }

    private void assertBlockingSendSucceedsUnderSendTimeout(long timeout) throws Exception {
        int port = start(Map.of(), BlockingSendWithoutTimeout.class);
        asyncSendTimeout = timeout;
        container().setAsyncSendTimeout(timeout);
        try (RawWebSocket peer = RawWebSocket.open(port, "/app/no-send-timeout")) {
            peer.send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("send me something large"));
            String message;
            try {
                message = peer.readMessage();
            } catch (IOException connectionEnded) {
                throw new AssertionError("the connection ended before the message arrived; the blocking send: "
                        + BLOCKING_SEND_RESULTS.poll(PATIENCE_MS, TimeUnit.MILLISECONDS), connectionEnded);
            }
            assertEquals(LARGE_MESSAGE, message.length(), "the peer got the whole message");
            assertTrue(message.chars().allMatch(c -> c == 'x'));
            Throwable result = BLOCKING_SEND_RESULTS.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
            assertTrue(result instanceof NoFailure, "the blocking send succeeded: " + result);
            // And the session is still usable: the close handshake completes normally.
            peer.sendClose(1000);
            assertEquals(1000, peer.readUntilClose().closeCode());
        }
    }

    // ------------------------------------------------------------------------------ 8. close with 1005

    /**
     * {@code close(1005)}: 1005 is the code that stands for "no code" (RFC 6455 §7.4.1), so the peer gets a
     * close frame without a body (and without the reason, which needs a code before it); onClose runs and
     * isOpen() turns false.
     */
    @Test
    void closingWith1005SendsACloseFrameWithoutABodyAndEndsTheSession() throws Exception {
        int port = start(Map.of(), CloseWithNoStatus.class);
        try (RawWebSocket peer = RawWebSocket.open(port, "/app/close-1005")) {
            Session session = NO_STATUS_SESSIONS.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
            assertNotNull(session);
            peer.send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("close with 1005"));
            RawWebSocket.Frame close;
            try {
                close = peer.readUntilClose();
            } catch (IOException noCloseFrame) {
                throw new AssertionError("no close frame reached the peer; close(1005) threw: "
                        + NO_STATUS_CLOSE_FAILURES.poll(), noCloseFrame);
            }
            assertArrayEquals(new byte[0], close.payload(), "a close frame without a body");
            assertNull(NO_STATUS_CLOSE_FAILURES.poll(), "close(1005) did not throw");
            peer.send(true, 0, RawWebSocket.CLOSE, new byte[0]); // the answer: no code either
            assertTrue(peer.awaitDropped(PATIENCE_MS), "the server ended the connection");
            CloseReason reason = NO_STATUS_CLOSES.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
            assertNotNull(reason, "@OnClose ran");
            assertEquals(1005, reason.getCloseCode().getCode(), reason.toString());
            assertEventually(() -> !session.isOpen(), "isOpen() is false");
        }
        assertNull(NO_STATUS_CLOSE_FAILURES.poll(), "close(1005) did not throw");
    }

    // ------------------------------------------------------------------------------ 11. timers of async sends

    /**
     * The async send timeout (30 s by default) is watched by one timer task per session, not one per
     * send: after {@value #MANY_SENDS} sends have completed the server's timer holds a handful of tasks,
     * not one per send until each would have timed out. The timer's queue is not reachable from here, so
     * this counts the live {@code ScheduledFutureTask}s in the JVM (a class histogram, after a full GC):
     * a cancelled one stays in its executor's queue until its delay has passed.
     */
    @Test
    void manyAsyncSendsLeaveNoTimerTaskPerSendBehind() throws Exception {
        int port = start(Map.of(), ManyAsyncSends.class);
        CountingListener listener = new CountingListener();
        WebSocket client = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/app/many-async"), listener)
                .get(10, TimeUnit.SECONDS);
        try {
            long before = liveScheduledTasks();
            client.sendText("go", true).get(10, TimeUnit.SECONDS);
            assertEquals("done", MANY_SENDS_FINISHED.poll(60, TimeUnit.SECONDS), "every SendHandler ran ("
                    + MANY_SENDS_DONE.get() + " of " + MANY_SENDS + ")");
            long after = liveScheduledTasks();
            assertTrue(after - before < 1_000, "scheduled tasks alive after " + MANY_SENDS + " async sends: "
                    + after + ", before them: " + before);
            assertEventually(() -> listener.received.get() == MANY_SENDS, "the client got all " + MANY_SENDS
                    + " messages");
        } finally {
            client.abort();
        }
    }

    /** The live instances of ScheduledThreadPoolExecutor's task class, from a class histogram (a full GC first). */
    private static long liveScheduledTasks() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Matcher line = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+"
                + Pattern.quote("java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask") + "\\b",
                Pattern.MULTILINE).matcher(histogram);
        return line.find() ? Long.parseLong(line.group(1)) : 0;
    }

    /** A listener of the JDK's client that counts the text messages it gets, and reads on. */
    static final class CountingListener implements WebSocket.Listener {
        final AtomicLong received = new AtomicLong();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (last) {
                received.incrementAndGet();
            }
            webSocket.request(1);
            return null;
        }
    }

    // ------------------------------------------------------------------------------ helpers

    /** Masked text frames (RFC 6455 §5.3, a random key each), back to back, to go out in one write. */
    private static byte[] textFrames(List<String> messages) {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (String message : messages) {
            byte[] payload = RawWebSocket.utf8(message);
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frames.writeBytes(RawWebSocket.header(true, 0, RawWebSocket.TEXT, payload.length));
            frames.writeBytes(mask);
            for (int i = 0; i < payload.length; i++) {
                frames.write(payload[i] ^ mask[i & 3]);
            }
        }
        return frames.toByteArray();
    }

    private static void assertEventually(BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(20);
        }
    }
}
