package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.api.SendQueueFullException;
import io.breakwater.protocol.ProtocolException;
import io.breakwater.server.BreakwaterServerContainer;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peers that attack the server, each against Breakwater deployed in embedded Jetty 12.1 (ee11) through
 * its {@code ServletContainerInitializer}, each with a bounded outcome: the close code on the wire
 * (RFC 6455 §7.4.1), the connection dropped within a bound, what {@code @OnClose} and {@code @OnError}
 * saw, and another session on the same server still echoing. Limits are the defaults (64 KiB messages,
 * 4 MiB of outgoing queue) except the send timeout, shortened to {@value #SEND_TIMEOUT_MS} ms.
 *
 * <p>Bounds asserted as "within" are generous upper bounds for a loaded machine, never speed claims.
 */
@Timeout(120)
class HostilePeerTest {

    static final long SEND_TIMEOUT_MS = 2_000;
    /** The connector's idle timeout: the longest gap Jetty allows between two reads of a request head. */
    static final long IDLE_TIMEOUT_MS = 2_000;
    /** {@link JettyRequestHeadTimeout}: the longest a connection may take to send its first request head. */
    static final Duration HEAD_TIMEOUT = Duration.ofSeconds(3);
    /** How long the server may take to do what a test waits for, on a busy machine. */
    static final long PATIENCE_MS = 20_000;

    static final BlockingQueue<CloseReason> CLOSES = new LinkedBlockingQueue<>();
    static final BlockingQueue<Throwable> ERRORS = new LinkedBlockingQueue<>();
    static final BlockingQueue<CompletableFuture<FloodReport>> FLOODS = new LinkedBlockingQueue<>();

    /** Echoes text; reports its close and errors to the test. */
    @ServerEndpoint("/echo")
    public static class RecordedEcho {
        @OnMessage
        public String echo(String message) {
            return message;
        }

        @OnClose
        public void close(CloseReason reason) {
            CLOSES.add(reason);
        }

        @OnError
        public void error(Throwable error) {
            ERRORS.add(error);
        }
    }

    /** The session that must keep working whatever the others do. */
    @ServerEndpoint("/bystander")
    public static class Bystander {
        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

    /**
     * How a flood ended: the sends accepted (written or failed with the connection), the first refusal or
     * failure, and the failure of the first accepted send never written.
     */
    record FloodReport(int accepted, Throwable refusal, Throwable firstUnwritten) {
    }

    /**
     * Sends 64 KiB binary messages on request to a peer that never reads: "async" a burst without
     * blocking, "blocking" with the basic remote until a send fails.
     */
    @ServerEndpoint("/flood")
    public static class Flooder {
        static final int MESSAGE = 64 * 1024;
        static final int MOST = 4_000; // 250 MiB: far past any bound; a safety stop for a broken one
        /** 25 MiB: past the 4 MiB queue limit and whatever the kernel's buffers take. */
        static final int BURST = 400;

        @OnMessage
        public void flood(Session session, String how) {
            Thread sender = new Thread(() -> FLOODS.add(how.equals("async") ? async(session)
                    : CompletableFuture.completedFuture(blocking(session))));
            sender.start();
        }

        /**
         * Sends {@link #BURST} messages without blocking: outcomes come in send order, a refusal after the
         * sends before it, so the report is complete once the first send never written has timed out and
         * dropped the connection.
         */
        private static CompletableFuture<FloodReport> async(Session session) {
            List<Future<Void>> sent = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                sent.add(session.getAsyncRemote().sendBinary(ByteBuffer.allocate(MESSAGE)));
            }
            return CompletableFuture.supplyAsync(() -> {
                int accepted = 0;
                Throwable refusal = null;
                Throwable firstUnwritten = null;
                for (Future<Void> future : sent) {
                    Throwable failure = failure(future);
                    if (failure instanceof SendQueueFullException) {
                        refusal = refusal != null ? refusal : failure;
                        continue;
                    }
                    accepted++;
                    firstUnwritten = firstUnwritten != null ? firstUnwritten : failure;
                }
                return new FloodReport(accepted, refusal, firstUnwritten);
            });
        }

        private static FloodReport blocking(Session session) {
            for (int i = 0; i < MOST; i++) {
                try {
                    session.getBasicRemote().sendBinary(ByteBuffer.allocate(MESSAGE));
                } catch (IOException | RuntimeException e) {
                    return new FloodReport(i, e, e);
                }
            }
            return new FloodReport(MOST, null, null);
        }

        private static Throwable failure(Future<Void> future) {
            try {
                future.get();
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e;
            }
        }

        @OnClose
        public void close(CloseReason reason) {
            CLOSES.add(reason);
        }

        @OnError
        public void error(Throwable error) {
            ERRORS.add(error);
        }
    }

    /** Echoes messages of at most 5 bytes; its onError tries to answer a longer one (the TCK's WSMaxLengthServer). */
    @ServerEndpoint("/limited")
    public static class Limited {
        @OnMessage(maxMessageSize = 5)
        public String echo(String message) {
            return message;
        }

        @OnError
        public void error(Session session, Throwable error) {
            ERRORS.add(error);
            try {
                session.getBasicRemote().sendText("onError: " + error.getMessage());
            } catch (IOException | RuntimeException refused) {
                ERRORS.add(refused);
            }
        }
    }

    private Server server;
    private int port;
    private BreakwaterServerContainer container;
    private Session bystander;
    private final BlockingQueue<String> bystanderEchoes = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        CLOSES.clear();
        ERRORS.clear();
        FLOODS.clear();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        JettyRequestHeadTimeout.install(connector, HEAD_TIMEOUT);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(),
                RecordedEcho.class, Bystander.class, Flooder.class, Limited.class);
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
        container = (BreakwaterServerContainer) context.getServletContext()
                .getAttribute(BreakwaterServletContainerInitializer.CONTAINER_ATTRIBUTE);
        container.setAsyncSendTimeout(SEND_TIMEOUT_MS);
        bystander = ContainerProvider.getWebSocketContainer().connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session session, EndpointConfig config) {
                session.addMessageHandler(String.class, bystanderEchoes::add);
            }
        }, ClientEndpointConfig.Builder.create().build(), URI.create("ws://127.0.0.1:" + port + "/bystander"));
        assertBystanderEchoes("before");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            bystander.close();
        } finally {
            server.stop();
        }
    }

    private void assertBystanderEchoes(String when) throws InterruptedException, IOException {
        String text = "still here " + when;
        bystander.getBasicRemote().sendText(text);
        assertEquals(text, bystanderEchoes.poll(PATIENCE_MS, TimeUnit.MILLISECONDS),
                "the other session echoes " + when);
    }

    /** The close the server reported to the endpoint: the code it sent for what the peer did, with the cause. */
    private static void assertClosedByContainerWith(int code) throws InterruptedException {
        CloseReason reason = CLOSES.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
        assertNotNull(reason, "@OnClose was called");
        // A close answering the peer's data carries the code sent (README, Conformance; TCK maxLengthFailsTest).
        assertEquals(code, reason.getCloseCode().getCode(), reason.toString());
        assertFalse(reason.getReasonPhrase().isEmpty(), "the cause is the reason");
    }

    private int recordedSessions() {
        return container.endpointConfigs().stream()
                .filter(config -> config.getPath().equals("/echo") || config.getPath().equals("/flood"))
                .mapToInt(config -> container.group(config).sessions().size()).sum();
    }

    // ------------------------------------------------------------------------------ the handshake

    @Test
    void aHandshakeSentOneByteEveryHalfSecondIsDroppedAtTheHeadTimeout() throws Exception {
        byte[] head = RawHttp.handshake("/echo").getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            OutputStream out = socket.getOutputStream();
            AtomicBoolean dropped = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                try {
                    dropped.set(RawHttp.awaitEnd(socket, HEAD_TIMEOUT.toMillis() + PATIENCE_MS));
                } catch (IOException e) {
                    dropped.set(true);
                }
            });
            reader.start();
            int sent = 0;
            long start = System.nanoTime();
            // Each gap (500 ms) is well inside the idle timeout (2 s): only the head timeout can end this.
            try {
                while (sent < head.length && reader.isAlive()) {
                    out.write(head[sent++]);
                    out.flush();
                    Thread.sleep(500);
                }
            } catch (IOException writeFailed) {
                // the server closed the connection
            }
            reader.join(HEAD_TIMEOUT.toMillis() + PATIENCE_MS);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(dropped.get(), "the connection was dropped");
            assertTrue(sent < head.length, "dropped before the head was complete (" + sent + " of " + head.length
                    + " bytes, " + elapsedMillis + " ms)");
            // Dropped by the head timeout, not by the idle timeout: well past it, bytes were still arriving.
            assertTrue(elapsedMillis >= HEAD_TIMEOUT.toMillis() - 100, elapsedMillis + " ms");
        }
        assertBystanderEchoes("after a slow handshake");
    }

    /**
     * Why {@link JettyRequestHeadTimeout} exists: without it, Jetty 12.1's idle timeout restarts with every
     * byte, so a head that trickles in is never dropped by it (only, after 8 KiB, by the head size limit).
     */
    @Test
    void withoutTheHeadTimeoutJettyKeepsATricklingHandshakeOpenPastItsIdleTimeout() throws Exception {
        Server plain = new Server();
        ServerConnector connector = new ServerConnector(plain);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(1_000);
        plain.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), RecordedEcho.class);
        plain.setHandler(context);
        plain.start();
        byte[] head = RawHttp.handshake("/echo").getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", connector.getLocalPort()), 10_000);
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            int sent = 0;
            // A byte every 250 ms for 4 s: four times the idle timeout, and the connection is still open.
            while (System.nanoTime() - start < 4_000_000_000L) {
                out.write(head[sent++]);
                out.flush();
                Thread.sleep(250);
            }
            assertFalse(RawHttp.awaitEnd(socket, 200), "still open after " + sent + " bytes");
        } finally {
            plain.stop();
        }
    }

    @Test
    void aHandshakeThatStopsHalfwayIsDroppedAtTheHeadTimeout() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(RawHttp.awaitEnd(socket, HEAD_TIMEOUT.toMillis() + PATIENCE_MS));
        }
    }

    @Test
    void anUpgradedConnectionOutlivesTheHeadTimeout() throws Exception {
        try (RawWebSocket peer = RawWebSocket.open(port, "/echo")) {
            Thread.sleep(HEAD_TIMEOUT.toMillis() + 1_000);
            peer.send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("late"));
            assertEquals("late", peer.readMessage());
        }
    }

    // ------------------------------------------------------------------------------ frames

    @Test
    void aFrameHeaderAnnouncing2To63Minus1BytesIsClosedWith1009() throws Exception {
        try (RawWebSocket peer = RawWebSocket.open(port, "/echo")) {
            peer.sendRaw(RawWebSocket.header(true, 0, RawWebSocket.TEXT, Long.MAX_VALUE));
            peer.sendRaw(new byte[] {1, 2, 3, 4, 'x', 'y'}); // the mask and the start of the "payload"
            // RFC 6455 §7.4.1: 1009, the frame is bigger than the server will process; checked from the header.
            assertEquals(1009, peer.readUntilClose().closeCode());
            assertTrue(peer.awaitDropped(PATIENCE_MS), "the server ended the connection");
        }
        assertClosedByContainerWith(1009);
        assertInstanceOf(ProtocolException.class, ERRORS.poll(PATIENCE_MS, TimeUnit.MILLISECONDS));
        assertBystanderEchoes("after a 2^63-1 byte header");
    }

    @Test
    void aReplyToAValidMessageGoesBeforeTheCloseButNothingOnErrorSendsForTheViolation() throws Exception {
        try (RawWebSocket peer = RawWebSocket.open(port, "/limited")) {
            // In one write: a message within the limit, then one past it.
            byte[] valid = RawWebSocket.frame(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("12345"));
            byte[] tooBig = RawWebSocket.frame(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("123456"));
            byte[] write = java.util.Arrays.copyOf(valid, valid.length + tooBig.length);
            System.arraycopy(tooBig, 0, write, valid.length, tooBig.length);
            peer.sendRaw(write);
            assertEquals("12345", peer.readMessage(), "the reply to the valid message comes first");
            // RFC 6455 §7.4.1: 1009; the violation's onError runs once the close is decided, so what it sends
            // is refused: nothing but the Close frame follows (WebSocket TCK websocketmessage maxLengthFailsTest).
            RawWebSocket.Frame next = peer.read();
            assertEquals(RawWebSocket.CLOSE, next.opcode(), "a frame other than the Close: " + RawWebSocket.utf8(next.payload()));
            assertEquals(1009, next.closeCode());
        }
        assertInstanceOf(ProtocolException.class, ERRORS.poll(PATIENCE_MS, TimeUnit.MILLISECONDS));
        assertInstanceOf(IOException.class, ERRORS.poll(PATIENCE_MS, TimeUnit.MILLISECONDS), "onError's send was refused");
    }

    @Test
    void aFrameLengthWithTheTopBitSetIsAProtocolError() throws Exception {
        try (RawWebSocket peer = RawWebSocket.open(port, "/echo")) {
            peer.sendRaw(RawWebSocket.header(true, 0, RawWebSocket.TEXT, Long.MIN_VALUE)); // 2^63
            peer.sendRaw(new byte[] {1, 2, 3, 4});
            // RFC 6455 §5.2: the most significant bit of a 64-bit length MUST be 0.
            assertEquals(1002, peer.readUntilClose().closeCode());
            assertTrue(peer.awaitDropped(PATIENCE_MS));
        }
        assertClosedByContainerWith(1002);
    }

    @Test
    void anEndlessFragmentedMessageIsClosedWith1009AtTheMessageLimit() throws Exception {
        try (RawWebSocket peer = RawWebSocket.open(port, "/echo")) {
            AtomicLong sent = new AtomicLong();
            Thread sender = new Thread(() -> {
                byte[] fragment = new byte[4 * 1024];
                java.util.Arrays.fill(fragment, (byte) 'a');
                try {
                    peer.send(false, 0, RawWebSocket.TEXT, fragment);
                    sent.addAndGet(fragment.length);
                    while (sent.get() < 1L << 30) { // "endless": stops at 1 GiB, or when the server hangs up
                        peer.send(false, 0, RawWebSocket.CONTINUATION, fragment);
                        sent.addAndGet(fragment.length);
                    }
                } catch (IOException closedByServer) {
                    // expected
                }
            });
            sender.start();
            // RFC 6455 §7.4.1: 1009 once the message passes the 64 KiB text buffer (default).
            assertEquals(1009, peer.readUntilClose().closeCode());
            assertTrue(peer.awaitDropped(PATIENCE_MS));
            sender.join(PATIENCE_MS);
            assertFalse(sender.isAlive(), "the sender met a closed connection");
            assertTrue(sent.get() < 1L << 30, "the server hung up long before 1 GiB: " + sent.get());
        }
        assertClosedByContainerWith(1009);
        assertBystanderEchoes("after an endless message");
    }

    @Test
    void aOneKibDeflateFrameOfAOneGibBombIsClosedWith1009() throws Exception {
        try (RawWebSocket peer = RawWebSocket.open(port, "/echo", "Sec-WebSocket-Extensions: permessage-deflate")) {
            assertTrue(peer.responseHead.contains("permessage-deflate"), peer.responseHead);
            // The first 1 KiB of 1 GiB of zeros, deflated (RFC 7692 §7.2.1): deflate tops out near 1:1032,
            // so this frame alone inflates to about 1 MiB; the rest of the bomb never needs to be sent.
            byte[] firstKib = firstCompressedBytesOfZeros(1024, 1L << 30);
            long start = System.nanoTime();
            peer.send(false, 0b100, RawWebSocket.TEXT, firstKib); // RSV1: compressed (RFC 7692 §6)
            // 1009 once the inflated text passes the 64 KiB buffer: the server inflates no more than that.
            assertEquals(1009, peer.readUntilClose().closeCode());
            assertTrue(peer.awaitDropped(PATIENCE_MS));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < PATIENCE_MS, millis + " ms");
        }
        assertClosedByContainerWith(1009);
        assertBystanderEchoes("after a deflate bomb");
    }

    /** The first {@code bytes} bytes of the raw deflate stream of {@code total} zero bytes. */
    private static byte[] firstCompressedBytesOfZeros(int bytes, long total) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[1 << 20];
        byte[] out = new byte[bytes];
        int produced = 0;
        long fed = 0;
        try {
            while (produced < bytes && fed < total) {
                deflater.setInput(zeros);
                fed += zeros.length;
                while (!deflater.needsInput() && produced < bytes) {
                    produced += deflater.deflate(out, produced, bytes - produced);
                }
            }
            if (produced < bytes) {
                deflater.finish();
                while (produced < bytes && !deflater.finished()) {
                    produced += deflater.deflate(out, produced, bytes - produced);
                }
            }
        } finally {
            deflater.end();
        }
        return out;
    }

    // ------------------------------------------------------------------------------ pings

    @Test
    void tenThousandPingsASecondAreEachAnsweredInOrder() throws Exception {
        int seconds = 3;
        int perSecond = 10_000;
        int total = seconds * perSecond;
        try (RawWebSocket peer = RawWebSocket.open(port, "/echo")) {
            CompletableFuture<Long> answered = CompletableFuture.supplyAsync(() -> {
                long next = 0;
                try {
                    while (next < total) {
                        RawWebSocket.Frame frame = peer.read();
                        assertEquals(RawWebSocket.PONG, frame.opcode());
                        // RFC 6455 §5.5.3: the pong carries the ping's application data.
                        assertEquals(next, ByteBuffer.wrap(frame.payload()).getLong(), "pongs in order");
                        next++;
                    }
                } catch (IOException e) {
                    throw new RuntimeException("after " + next + " pongs", e);
                }
                return next;
            });
            long start = System.nanoTime();
            int batch = perSecond / 100;
            for (int sent = 0; sent < total; sent += batch) {
                for (int i = 0; i < batch; i++) {
                    peer.send(true, 0, RawWebSocket.PING, ByteBuffer.allocate(8).putLong(sent + i).array());
                }
                long due = start + (sent + batch) * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (sent == total / 2) {
                    assertBystanderEchoes("during a ping flood");
                }
            }
            assertEquals(total, answered.get(PATIENCE_MS, TimeUnit.MILLISECONDS));
            peer.sendClose(1000);
            assertEquals(1000, peer.readUntilClose().closeCode());
        }
        CloseReason reason = CLOSES.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
        assertNotNull(reason);
        assertEquals(1000, reason.getCloseCode().getCode());
    }

    @Test
    void aPingFloodFromAPeerThatNeverReadsIsNotBufferedWithoutBound() throws Exception {
        long cap = 256L << 20; // 256 MiB of pings: what the server would hold as pongs without a bound
        AtomicLong written = new AtomicLong();
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4 * 1024);
        try (RawWebSocket peer = RawWebSocket.open(socket, port, "/echo")) {
            byte[] payload = new byte[125];
            // 64 pings per write, so that a write blocks only when the server stops reading.
            byte[] batch;
            try (java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream()) {
                for (int i = 0; i < 64; i++) {
                    frames.write(RawWebSocket.header(true, 0, RawWebSocket.PING, payload.length));
                    frames.write(new byte[4]); // a zero mask
                    frames.write(payload);
                }
                batch = frames.toByteArray();
            }
            Thread flooder = new Thread(() -> {
                try {
                    while (written.get() < cap) {
                        peer.sendRaw(batch);
                        written.addAndGet(batch.length);
                    }
                } catch (IOException closed) {
                    // the server hung up: also a bound
                }
            });
            flooder.setDaemon(true);
            flooder.start();
            // Wait until the flood stalls (the server stopped reading) or ends.
            long last = -1;
            while (flooder.isAlive() && written.get() != last) {
                last = written.get();
                Thread.sleep(2_000);
            }
            assertTrue(written.get() < 64L << 20, "the server stopped taking pings it cannot answer; it took "
                    + (written.get() >> 20) + " MiB");
            assertBystanderEchoes("while a peer floods pings and reads nothing");
        }
        assertNotNull(CLOSES.poll(PATIENCE_MS, TimeUnit.MILLISECONDS), "the session closed when the peer left");
    }

    // ------------------------------------------------------------------------------ a peer that never reads

    @Test
    void aPeerThatNeverReadsGetsABoundedQueueAndIsClosedAtTheSendTimeout() throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(8 * 1024);
        try (RawWebSocket peer = RawWebSocket.open(socket, port, "/flood")) {
            peer.send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("async"));
            CompletableFuture<FloodReport> flood = FLOODS.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
            assertNotNull(flood);
            assertBystanderEchoes("while a peer does not read");
            // The first send never written fails at the send timeout, and the connection is dropped: then
            // every send has its outcome.
            FloodReport report = flood.get(SEND_TIMEOUT_MS + PATIENCE_MS, TimeUnit.MILLISECONDS);
            // Async sends are refused past 4 MiB waiting (plus what the kernel's buffers took).
            assertInstanceOf(SendQueueFullException.class, report.refusal(), String.valueOf(report.refusal()));
            long acceptedBytes = (long) report.accepted() * Flooder.MESSAGE;
            assertTrue(acceptedBytes <= (4L << 20) + (16L << 20), "accepted " + acceptedBytes + " bytes");
            Throwable unwritten = report.firstUnwritten();
            assertTrue(unwritten instanceof SocketTimeoutException || unwritten instanceof IOException,
                    String.valueOf(unwritten));
            CloseReason reason = CLOSES.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
            assertNotNull(reason, "@OnClose after the send timeout");
            assertEquals(1006, reason.getCloseCode().getCode(), reason.toString());
            assertTrue(peer.awaitDropped(PATIENCE_MS), "the server dropped the connection");
        }
        assertBystanderEchoes("after the send timeout");
        assertEquals(0, recordedSessions(), "the session was released");
    }

    @Test
    void aBlockingSendToAPeerThatNeverReadsFailsAtTheSendTimeout() throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(8 * 1024);
        try (RawWebSocket peer = RawWebSocket.open(socket, port, "/flood")) {
            peer.send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("blocking"));
            CompletableFuture<FloodReport> flood = FLOODS.poll(SEND_TIMEOUT_MS + PATIENCE_MS, TimeUnit.MILLISECONDS);
            assertNotNull(flood);
            FloodReport report = flood.join();
            assertInstanceOf(SocketTimeoutException.class, report.refusal(), String.valueOf(report.refusal()));
            CloseReason reason = CLOSES.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
            assertNotNull(reason);
            assertEquals(1006, reason.getCloseCode().getCode(), reason.toString());
            assertTrue(peer.awaitDropped(PATIENCE_MS));
        }
        assertBystanderEchoes("after a blocking send timed out");
        assertEquals(0, recordedSessions());
    }

    // ------------------------------------------------------------------------------ a peer that vanishes

    @Test
    void aPeerThatResetsTheConnectionIsReportedAs1006AndReleased() throws Exception {
        RawWebSocket peer = RawWebSocket.open(port, "/echo");
        peer.send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("hello"));
        assertEquals("hello", peer.readMessage());
        assertEquals(1, recordedSessions());
        peer.socket().setSoLinger(true, 0); // close with a reset, no close frame
        peer.close();
        CloseReason reason = CLOSES.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
        assertNotNull(reason, "@OnClose was called");
        assertEquals(1006, reason.getCloseCode().getCode(), reason.toString());
        assertEventually(() -> recordedSessions() == 0, "the session was released");
        assertBystanderEchoes("after a peer vanished");
    }

    @Test
    void aPeerThatEndsTcpWithoutACloseFrameIsReportedAs1006AndReleased() throws Exception {
        RawWebSocket peer = RawWebSocket.open(port, "/echo");
        peer.send(false, 0, RawWebSocket.TEXT, RawWebSocket.utf8("half a mess")); // and inside a message, too
        peer.close(); // FIN, no close frame
        CloseReason reason = CLOSES.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
        assertNotNull(reason);
        assertEquals(1006, reason.getCloseCode().getCode(), reason.toString());
        assertEventually(() -> recordedSessions() == 0, "the session was released");
    }

    private static void assertEventually(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(20);
        }
    }
}
