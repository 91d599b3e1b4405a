package io.breakwater.benchmarks.soak;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Many WebSocket connections from one thread, on plain NIO: each connection binds one of several local
 * addresses (so that 10,000 connections do not run out of ephemeral ports on one), completes the opening
 * handshake, then echoes numbered text messages, a few in flight at a time, for a fixed time, checks that
 * each echo is the next one it is owed (every message back exactly once, in order), and ends with a close
 * handshake (RFC 6455 §7.1.2: it waits for the server's Close, then for the server to end TCP).
 *
 * <p>A load generator, not a client to copy: it checks no {@code Sec-WebSocket-Accept} and expects the
 * server to send nothing but echoes of its text messages, pongs and a Close.
 */
final class SoakClient {

    /**
     * @param echo          the echo endpoint
     * @param connections   how many connections, open at once
     * @param sources       the local addresses to bind, in turn
     * @param echoTime      how long every connection echoes once all are open
     * @param window        messages a connection may have unanswered
     * @param payloadBytes  bytes per message, at most 125 (one short frame)
     * @param phaseTimeout  the longest the opening or the closing of all connections may take
     */
    record Settings(URI echo, int connections, List<InetAddress> sources, Duration echoTime, int window,
                    int payloadBytes, Duration phaseTimeout) {
    }

    /** What the run saw. */
    record Result(int opened, int closedCleanly, long sent, long received, List<String> failures,
                  Duration openTime, Duration echoTime, Duration closeTime) {
        boolean exactlyOnceInOrder() {
            return failures.isEmpty() && opened == closedCleanly && sent == received;
        }
    }

    private enum State { CONNECTING, HANDSHAKE, ECHOING, CLOSING, AWAITING_END, DONE, FAILED }

    private enum Phase { OPENING, ECHOING, CLOSING }

    private static final int MAX_OPENING = 256;
    private static final int MAX_FAILURES_KEPT = 20;

    private final Settings settings;
    private final List<String> failures = new ArrayList<>();
    private int failureCount;
    private long sent;
    private long received;
    private int opened;
    private int closedCleanly;
    private int finished;
    private int opening;
    private Phase phase = Phase.OPENING;

    SoakClient(Settings settings) {
        if (settings.payloadBytes() < 16 || settings.payloadBytes() > 125) {
            throw new IllegalArgumentException("payload must be 16..125 bytes: " + settings.payloadBytes());
        }
        this.settings = settings;
    }

    Result run() throws IOException {
        List<EchoConnection> all = new ArrayList<>(settings.connections());
        ArrayDeque<EchoConnection> toOpen = new ArrayDeque<>();
        for (int i = 0; i < settings.connections(); i++) {
            EchoConnection connection = new EchoConnection(i, settings.sources().get(i % settings.sources().size()));
            all.add(connection);
            toOpen.add(connection);
        }
        InetSocketAddress server = new InetSocketAddress(settings.echo().getHost(), settings.echo().getPort());
        long start = System.nanoTime();
        long openedAt = 0;
        long echoEndsAt = 0;
        long closedAt = 0;
        try (Selector selector = Selector.open()) {
            while (true) {
                long now = System.nanoTime();
                if (phase == Phase.OPENING) {
                    while (opening < MAX_OPENING && !toOpen.isEmpty()) {
                        toOpen.poll().connect(selector, server);
                    }
                    if (opened + failureCount >= settings.connections() && toOpen.isEmpty() && opening == 0) {
                        openedAt = now;
                        echoEndsAt = now + settings.echoTime().toNanos();
                        phase = Phase.ECHOING;
                        all.forEach(EchoConnection::pump);
                    } else if (now - start > settings.phaseTimeout().toNanos()) {
                        fail("opening " + settings.connections() + " connections took longer than "
                                + settings.phaseTimeout());
                        break;
                    }
                } else if (phase == Phase.ECHOING && now >= echoEndsAt) {
                    phase = Phase.CLOSING;
                    all.forEach(EchoConnection::pump);
                } else if (phase == Phase.CLOSING) {
                    if (finished >= all.size()) {
                        closedAt = now;
                        break;
                    }
                    if (now - echoEndsAt > settings.phaseTimeout().toNanos()) {
                        fail((all.size() - finished) + " connections did not finish their close handshake within "
                                + settings.phaseTimeout());
                        break;
                    }
                }
                selector.select(50);
                for (SelectionKey key : selector.selectedKeys()) {
                    ((EchoConnection) key.attachment()).ready(key);
                }
                selector.selectedKeys().clear();
            }
            for (EchoConnection connection : all) {
                connection.abandon();
            }
        }
        long end = System.nanoTime();
        return new Result(opened, closedCleanly, sent, received, List.copyOf(failures),
                Duration.ofNanos((openedAt == 0 ? end : openedAt) - start),
                Duration.ofNanos(openedAt == 0 ? 0 : (Math.min(end, echoEndsAt) - openedAt)),
                Duration.ofNanos(closedAt == 0 ? 0 : closedAt - echoEndsAt));
    }

    private void fail(String failure) {
        failureCount++;
        if (failures.size() < MAX_FAILURES_KEPT) {
            failures.add(failure);
        }
    }

    /** One connection and its state; called on the client's one thread only. */
    private final class EchoConnection {
        private final int id;
        private final InetAddress source;
        private SocketChannel channel;
        private SelectionKey key;
        private State state = State.CONNECTING;
        private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
        private ByteBuffer input = ByteBuffer.allocate(4 * 1024);
        private final StringBuilder head = new StringBuilder();
        private final byte[] mask = new byte[4];
        private long nextToSend;
        private long nextExpected;
        /** A text message arriving in fragments. */
        private ByteBuffer partial;

        EchoConnection(int id, InetAddress source) {
            this.id = id;
            this.source = source;
            ThreadLocalRandom.current().nextBytes(mask);
        }

        void connect(Selector selector, InetSocketAddress server) {
            opening++;
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.bind(new InetSocketAddress(source, 0));
                channel.connect(server);
                key = channel.register(selector, SelectionKey.OP_CONNECT, this);
            } catch (IOException e) {
                failed("connect from " + source + ": " + e);
            }
        }

        void ready(SelectionKey ready) {
            try {
                if (ready.isValid() && ready.isConnectable() && channel.finishConnect()) {
                    state = State.HANDSHAKE;
                    output.add(ByteBuffer.wrap(handshake().getBytes(StandardCharsets.ISO_8859_1)));
                    write();
                }
                if (ready.isValid() && ready.isWritable()) {
                    write();
                }
                if (ready.isValid() && ready.isReadable()) {
                    read();
                }
            } catch (IOException e) {
                failed(e.toString());
            }
        }

        private String handshake() {
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            URI echo = settings.echo();
            return "GET " + echo.getRawPath() + " HTTP/1.1\r\nHost: " + echo.getHost() + ":" + echo.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        }

        private void read() throws IOException {
            int n = channel.read(input);
            if (n < 0) {
                endOfInput();
                return;
            }
            input.flip();
            if (state == State.HANDSHAKE) {
                readHead();
            }
            while (state.compareTo(State.ECHOING) >= 0 && state.compareTo(State.AWAITING_END) <= 0 && readFrame()) {
                // each frame handled in readFrame
            }
            input.compact();
            pump();
        }

        private void readHead() throws IOException {
            while (input.hasRemaining()) {
                head.append((char) (input.get() & 0xFF));
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    if (!head.toString().startsWith("HTTP/1.1 101")) {
                        throw new IOException("handshake refused: " + head.toString().lines().findFirst().orElse(""));
                    }
                    state = State.ECHOING;
                    opening--;
                    opened++;
                    return;
                }
            }
        }

        /** Handles one whole frame from the input, if there is one. */
        private boolean readFrame() throws IOException {
            if (input.remaining() < 2) {
                return false;
            }
            int at = input.position();
            int b0 = input.get(at) & 0xFF;
            int b1 = input.get(at + 1) & 0xFF;
            if ((b1 & 0x80) != 0) {
                throw new IOException("a masked frame from the server (RFC 6455 §5.1)");
            }
            long length = b1 & 0x7F;
            int headerLength = 2;
            if (length == 126) {
                if (input.remaining() < 4) {
                    return false;
                }
                length = input.getShort(at + 2) & 0xFFFF;
                headerLength = 4;
            } else if (length == 127) {
                if (input.remaining() < 10) {
                    return false;
                }
                length = input.getLong(at + 2);
                headerLength = 10;
            }
            if (length > 1 << 20) {
                throw new IOException("a frame of " + length + " bytes; echoes are at most 125");
            }
            if (input.remaining() < headerLength + length) {
                if (input.capacity() < headerLength + length) {
                    ByteBuffer larger = ByteBuffer.allocate((int) (headerLength + length));
                    larger.put(input);
                    input = larger.flip();
                }
                return false;
            }
            byte[] payload = new byte[(int) length];
            input.position(at + headerLength);
            input.get(payload);
            onFrame((b0 & 0x80) != 0, b0 & 0x0F, payload);
            return true;
        }

        private void onFrame(boolean fin, int opcode, byte[] payload) throws IOException {
            switch (opcode) {
                case 0x1, 0x0 -> {
                    if (partial == null) {
                        partial = ByteBuffer.allocate(settings.payloadBytes() * 2);
                    }
                    if (partial.remaining() < payload.length) {
                        throw new IOException("an echo longer than any message sent");
                    }
                    partial.put(payload);
                    if (fin) {
                        onEcho(new String(partial.array(), 0, partial.position(), StandardCharsets.UTF_8));
                        partial = null;
                    }
                }
                case 0x8 -> {
                    if (state != State.CLOSING) {
                        throw new IOException("the server closed first (" + closeCode(payload) + ")");
                    }
                    if (closeCode(payload) != 1000) {
                        throw new IOException("the server answered the close with " + closeCode(payload));
                    }
                    state = State.AWAITING_END; // RFC 6455 §7.1.1: the server ends TCP first
                }
                case 0xA -> { }
                default -> throw new IOException("unexpected opcode " + opcode);
            }
        }

        private void onEcho(String echo) throws IOException {
            String expected = message(nextExpected);
            if (!echo.equals(expected)) {
                throw new IOException("connection " + id + " got \"" + echo.trim() + "\", expected \""
                        + expected.trim() + "\" (lost, repeated or out of order)");
            }
            nextExpected++;
            received++;
        }

        private String message(long sequence) {
            String text = id + ":" + sequence + ":";
            return text + " ".repeat(Math.max(0, settings.payloadBytes() - text.length()));
        }

        /** Sends what the phase allows: messages up to the window while echoing, the close when drained. */
        void pump() {
            if (state != State.ECHOING || channel == null) {
                return;
            }
            try {
                if (phase == Phase.ECHOING) {
                    while (nextToSend - nextExpected < settings.window()) {
                        output.add(frame(0x1, message(nextToSend).getBytes(StandardCharsets.UTF_8)));
                        nextToSend++;
                        sent++;
                    }
                } else if (phase == Phase.CLOSING && nextExpected == nextToSend) {
                    output.add(frame(0x8, new byte[] {(byte) (1000 >> 8), (byte) (1000 & 0xFF)}));
                    state = State.CLOSING;
                }
                write();
            } catch (IOException e) {
                failed(e.toString());
            }
        }

        /** A masked client frame (RFC 6455 §5.3) of at most 125 bytes. */
        private ByteBuffer frame(int opcode, byte[] payload) {
            ByteBuffer frame = ByteBuffer.allocate(6 + payload.length);
            frame.put((byte) (0x80 | opcode)).put((byte) (0x80 | payload.length)).put(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.put((byte) (payload[i] ^ mask[i & 3]));
            }
            return frame.flip();
        }

        private void write() throws IOException {
            while (!output.isEmpty()) {
                ByteBuffer next = output.peek();
                channel.write(next);
                if (next.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                output.poll();
            }
            key.interestOps(SelectionKey.OP_READ);
        }

        private void endOfInput() throws IOException {
            if (state == State.AWAITING_END) {
                state = State.DONE;
                closedCleanly++;
                finished++;
                channel.close();
                return;
            }
            throw new IOException("the server ended the connection in state " + state);
        }

        private void failed(String why) {
            if (state == State.DONE || state == State.FAILED) {
                return;
            }
            if (state == State.CONNECTING || state == State.HANDSHAKE) {
                opening--;
            }
            state = State.FAILED;
            finished++;
            fail("connection " + id + " from " + source + ": " + why);
            abandon();
        }

        void abandon() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        private static int closeCode(byte[] payload) {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }
}
