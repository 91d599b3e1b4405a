package io.breakwater.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.breakwater.handshake.ExtensionHeader;
import io.breakwater.handshake.ExtensionSpec;
import io.breakwater.protocol.CloseStatus;
import io.breakwater.protocol.Connection;
import io.breakwater.protocol.ConnectionListener;
import io.breakwater.protocol.FrameOutput;
import io.breakwater.protocol.MaskKeySource;
import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.ProtocolException;
import io.breakwater.protocol.Role;
import io.breakwater.protocol.Violation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * In-memory plumbing for the engine-level permessage-deflate tests: the real negotiation, a client
 * and a server {@link Connection} whose output feeds the other's {@code receive}, a wire decoder of
 * our own (so RSV bits, masking and payloads are checked as bytes, not as the engine reports them),
 * and a reference inflater (plain {@link Inflater}) that checks every compressed payload is a valid
 * DEFLATE stream, on its own when the sender has no context takeover.
 */
final class DeflateConnectionSupport {

    /** Feed the receiver everything in one call. */
    static final int WHOLE = Integer.MAX_VALUE;

    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;

    static final int FIN = 0x80;
    static final int RSV1 = MessageExtension.RSV1;
    static final int RSV2 = MessageExtension.RSV2;
    static final int RSV3 = MessageExtension.RSV3;

    /** RFC 7692 §7.2.1: the LEN/NLEN octets of the sync flush's empty stored block, removed by the sender. */
    static final byte[] FLUSH_TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};

    private DeflateConnectionSupport() {
    }

    // ------------------------------------------------------------------------------------ wire frames

    /** A frame as it was on the wire, payload unmasked. */
    record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        boolean isControl() {
            return (opcode & 0x8) != 0;
        }

        int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        @Override
        public String toString() {
            return "Frame[fin=" + fin + ", rsv=0x" + Integer.toHexString(rsv) + ", opcode=" + opcode
                    + ", masked=" + masked + ", length=" + payload.length + "]";
        }
    }

    /** Decodes a byte stream into whole frames; fails on trailing bytes that are not a whole frame. */
    static List<Frame> parseFrames(byte[] wire) {
        List<Frame> frames = new ArrayList<>();
        int at = 0;
        while (at < wire.length) {
            assertTrue(wire.length - at >= 2, "truncated frame header");
            int first = wire[at] & 0xFF;
            int second = wire[at + 1] & 0xFF;
            at += 2;
            long length = second & 0x7F;
            if (length == 126) {
                length = ((wire[at] & 0xFF) << 8) | (wire[at + 1] & 0xFF);
                assertTrue(length > 125, "length not minimally encoded");
                at += 2;
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | (wire[at++] & 0xFF);
                }
                assertTrue(length > 0xFFFF, "length not minimally encoded");
            }
            boolean masked = (second & 0x80) != 0;
            byte[] key = null;
            if (masked) {
                key = Arrays.copyOfRange(wire, at, at + 4);
                at += 4;
            }
            assertTrue(wire.length - at >= length, "truncated frame payload");
            byte[] payload = Arrays.copyOfRange(wire, at, at + (int) length);
            at += (int) length;
            if (masked) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= key[i & 3];
                }
            }
            frames.add(new Frame((first & 0x80) != 0, first & 0x70, first & 0x0F, masked, payload));
        }
        return frames;
    }

    /**
     * Encodes one frame as a peer would send it: {@code firstByte} is FIN | RSV | opcode; masked (with
     * a key derived from {@code keySeed}) when it goes to a server.
     */
    static byte[] frame(int firstByte, byte[] payload, boolean mask, int keySeed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int maskBit = mask ? 0x80 : 0;
        int length = payload.length;
        if (length <= 125) {
            out.write(maskBit | length);
        } else if (length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >>> shift));
            }
        }
        byte[] body = payload.clone();
        if (mask) {
            int key = keyFor(keySeed);
            byte[] keyBytes = {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key};
            out.writeBytes(keyBytes);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= keyBytes[i & 3];
            }
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    static int keyFor(int n) {
        int x = (n + 1) * 0x9E3779B9;
        return x ^ (x >>> 15) ^ 0x5A000000;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ----------------------------------------------------------------------------------- compression

    /**
     * Compresses one message with an independent {@link Deflater} as RFC 7692 §7.2.1 says: sync
     * flush, then the trailing 00 00 ff ff removed.
     */
    static byte[] deflateMessage(Deflater deflater, byte[] message) {
        byte[] flushed = deflateSync(deflater, message);
        assertTrue(endsWithTail(flushed));
        return Arrays.copyOf(flushed, flushed.length - FLUSH_TAIL.length);
    }

    /** Compresses with a sync flush, keeping the tail (for a part that does not end the message). */
    static byte[] deflateSync(Deflater deflater, byte[] data) {
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            int n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
            if (n < buffer.length && deflater.needsInput()) {
                return out.toByteArray();
            }
        }
    }

    static boolean endsWithTail(byte[] data) {
        return data.length >= 4 && Arrays.equals(data, data.length - 4, data.length, FLUSH_TAIL, 0, 4);
    }

    /** Reference decoding of one message's payload (RFC 7692 §7.2.2: append 00 00 ff ff, inflate). */
    static byte[] inflateMessage(Inflater inflater, byte[] payload) {
        assertTrue(payload.length > 0, "an empty compressed payload is not DEFLATE data");
        inflater.setInput(concat(payload, FLUSH_TAIL));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            while (true) {
                int n = inflater.inflate(buffer);
                out.write(buffer, 0, n);
                if (n == 0) {
                    assertFalse(inflater.needsDictionary());
                    assertFalse(inflater.finished(), "our sender never ends its DEFLATE stream");
                    if (inflater.needsInput()) {
                        return out.toByteArray();
                    }
                }
            }
        } catch (DataFormatException e) {
            throw new AssertionError("payload is not valid DEFLATE data: " + e.getMessage(), e);
        }
    }

    // ----------------------------------------------------------------------------------- negotiation

    /**
     * The outcome of running the real handshake functions: the server's response (null when it
     * declined every offer) and what each side took from it.
     */
    record Negotiated(String response, DeflateParameters server, DeflateParameters client,
                      DeflateConfig serverConfig, DeflateConfig clientConfig) {
        boolean accepted() {
            return response != null;
        }
    }

    /** Offer (header text) → negotiateAsServer → response (formatted, parsed again) → negotiateAsClient. */
    static Negotiated negotiate(String offerHeader, DeflateConfig serverConfig, DeflateConfig clientConfig) {
        Optional<DeflateNegotiation.Agreement> agreement =
                DeflateNegotiation.negotiateAsServer(ExtensionHeader.parse(offerHeader), serverConfig);
        if (agreement.isEmpty()) {
            return new Negotiated(null, null, null, serverConfig, clientConfig);
        }
        String response = ExtensionHeader.format(List.of(agreement.get().response()));
        List<ExtensionSpec> parsed = ExtensionHeader.parse(response);
        assertEquals(1, parsed.size(), response);
        DeflateParameters client;
        try {
            client = DeflateNegotiation.negotiateAsClient(parsed.get(0), clientConfig);
        } catch (DeflateNegotiationException e) {
            throw new AssertionError("the client rejects the server's response " + response, e);
        }
        return new Negotiated(response, agreement.get().parameters(), client, serverConfig, clientConfig);
    }

    static Negotiated negotiateDefaults() {
        return negotiate("permessage-deflate", DeflateConfig.DEFAULTS, DeflateConfig.DEFAULTS);
    }

    static Link link(Negotiated negotiated) {
        MessageExtension serverExtension = negotiated.accepted()
                ? negotiated.server().newExtension(Role.SERVER, negotiated.serverConfig()) : null;
        MessageExtension clientExtension = negotiated.accepted()
                ? negotiated.client().newExtension(Role.CLIENT, negotiated.clientConfig()) : null;
        return new Link(new Peer(Role.CLIENT, clientExtension), new Peer(Role.SERVER, serverExtension));
    }

    // ------------------------------------------------------------------------------------ endpoints

    /** A decoded message as the listener assembled it from its pieces. */
    record Message(boolean text, byte[] data) {
        @Override
        public String toString() {
            return (text ? "text" : "binary") + "[" + data.length + "]";
        }
    }

    /** Records what a connection reports; data pieces are assembled into messages. */
    static final class Recorder implements ConnectionListener {
        final List<Message> messages = new ArrayList<>();
        final List<byte[]> pings = new ArrayList<>();
        final List<byte[]> pongs = new ArrayList<>();
        final List<Integer> pieceSizes = new ArrayList<>();
        private ByteArrayOutputStream current;
        private boolean currentText;
        long dataBytes;
        ProtocolException error;
        CloseStatus close;
        int closeCount;
        /** Events of any kind after onClose (there must be none). */
        int eventsAfterClose;
        /** Problems found while recording, reported by {@link #assertSane()}. */
        final List<String> problems = new ArrayList<>();

        @Override
        public void onText(ByteBuffer utf8, boolean last) {
            data(true, utf8, last);
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
            data(false, data, last);
        }

        private void data(boolean text, ByteBuffer piece, boolean last) {
            afterCloseCheck();
            if (current == null) {
                current = new ByteArrayOutputStream();
                currentText = text;
            } else if (currentText != text) {
                problems.add("a " + (text ? "text" : "binary") + " piece inside a message of the other type");
            }
            byte[] bytes = bytes(piece);
            pieceSizes.add(bytes.length);
            dataBytes += bytes.length;
            current.writeBytes(bytes);
            if (last) {
                messages.add(new Message(currentText, current.toByteArray()));
                current = null;
            }
        }

        @Override
        public void onPing(ByteBuffer payload) {
            afterCloseCheck();
            pings.add(bytes(payload));
        }

        @Override
        public void onPong(ByteBuffer payload) {
            afterCloseCheck();
            pongs.add(bytes(payload));
        }

        @Override
        public void onProtocolError(ProtocolException e) {
            afterCloseCheck();
            if (error != null) {
                problems.add("a second protocol error: " + e.violation());
            }
            error = e;
        }

        @Override
        public void onClose(CloseStatus status) {
            afterCloseCheck();
            closeCount++;
            close = status;
        }

        private void afterCloseCheck() {
            if (close != null) {
                eventsAfterClose++;
            }
        }

        int eventCount() {
            return messages.size() + pings.size() + pongs.size() + pieceSizes.size() + closeCount
                    + (error == null ? 0 : 1);
        }

        void assertSane() {
            assertTrue(problems.isEmpty(), () -> "listener saw: " + problems);
            assertEquals(0, eventsAfterClose, "events after onClose");
        }

        void assertNoError() {
            assertSane();
            if (error != null) {
                throw new AssertionError("unexpected protocol error " + error.violation(), error);
            }
            assertEquals(null, close, "unexpected close");
        }
    }

    /** One end: its connection, listener, and the bytes it wrote that the other end has not read yet. */
    static final class Peer {
        final Role role;
        final Connection connection;
        final Recorder listener = new Recorder();
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private int framesFed;

        Peer(Role role, MessageExtension extension) {
            this.role = role;
            FrameOutput output = (header, payload) -> {
                pending.writeBytes(bytes(header));
                pending.writeBytes(bytes(payload));
            };
            if (role == Role.SERVER) {
                connection = Connection.server(listener, output, extension);
            } else {
                int[] counter = {0};
                MaskKeySource keys = () -> keyFor(1000 + counter[0]++);
                connection = Connection.client(listener, output, extension, keys);
            }
        }

        /** A server-only or client-only connection for hand-made frames. */
        static Peer of(Role role, Negotiated negotiated) {
            MessageExtension extension = !negotiated.accepted() ? null : role == Role.SERVER
                    ? negotiated.server().newExtension(Role.SERVER, negotiated.serverConfig())
                    : negotiated.client().newExtension(Role.CLIENT, negotiated.clientConfig());
            return new Peer(role, extension);
        }

        /** What this end wrote since the last call. */
        byte[] takeOutput() {
            byte[] bytes = pending.toByteArray();
            pending.reset();
            return bytes;
        }

        /** Feeds a copy of {@code bytes} in calls of {@code chunkSize} bytes. */
        void feed(byte[] bytes, int chunkSize) {
            byte[] copy = bytes.clone();
            for (int at = 0; at < copy.length; ) {
                int length = (int) Math.min(chunkSize, (long) copy.length - at);
                ByteBuffer chunk = ByteBuffer.wrap(copy, at, length);
                connection.receive(chunk);
                assertFalse(chunk.hasRemaining(), "receive must consume all its input");
                at += length;
            }
        }

        /** Hand-made frames as this end's peer sends them (masked when this end is the server). */
        byte[] peerFrame(int firstByte, byte[] payload) {
            return frame(firstByte, payload, role == Role.SERVER, framesFed++);
        }

        void feedFrames(int chunkSize, byte[]... frames) {
            feed(concat(frames), chunkSize);
        }

        /**
         * The connection failed with {@code violation}: the listener got onProtocolError then onClose
         * with its code, one close frame with that code was written last, the transport is to be
         * closed; and whatever arrives afterwards (a valid message, a ping) produces no event and no
         * output.
         */
        void assertFailed(Violation violation) {
            listener.assertSane();
            assertNotNull(listener.error, "no protocol error reported");
            assertEquals(violation, listener.error.violation(), () -> "violation: " + listener.error);
            assertNotNull(listener.close, "no onClose");
            assertEquals(violation.closeCode(), listener.close.code());
            assertEquals(1, listener.closeCount);
            List<Frame> written = parseFrames(takeOutput());
            List<Frame> closes = written.stream().filter(f -> f.opcode() == OP_CLOSE).toList();
            assertEquals(1, closes.size(), () -> "close frames written: " + written);
            Frame close = written.get(written.size() - 1);
            assertEquals(OP_CLOSE, close.opcode(), "the close frame is written last");
            assertEquals(violation.closeCode(), close.closeCode());
            assertEquals(0, close.rsv());
            assertEquals(role == Role.CLIENT, close.masked());
            assertEquals(Connection.State.CLOSED, connection.state());
            assertTrue(connection.isTransportCloseDue());

            int events = listener.eventCount();
            feedFrames(WHOLE, peerFrame(FIN | OP_TEXT, utf8("after")), peerFrame(FIN | OP_PING, utf8("p")));
            assertEquals(events, listener.eventCount(), "events after the failure");
            assertEquals(0, listener.eventsAfterClose);
            assertEquals(0, takeOutput().length, "output after the failure");
        }
    }

    /** A client and a server wired to each other in memory. */
    static final class Link implements AutoCloseable {
        final Peer client;
        final Peer server;

        Link(Peer client, Peer server) {
            this.client = client;
            this.server = server;
        }

        Peer peer(boolean clientEnd) {
            return clientEnd ? client : server;
        }

        /** Moves what {@code from} wrote to the other end, in calls of {@code chunkSize}; returns it as frames. */
        List<Frame> transfer(Peer from, int chunkSize) {
            byte[] wire = from.takeOutput();
            (from == client ? server : client).feed(wire, chunkSize);
            return parseFrames(wire);
        }

        @Override
        public void close() {
            client.connection.transportClosed(); // frees the zlib streams
            server.connection.transportClosed();
        }
    }

    /**
     * One direction of a link, with what the test expects of it: whether messages are compressed,
     * and whether the sender resets its compressor after every message (no context takeover).
     */
    static final class Direction {
        final Link link;
        final Peer sender;
        final Peer receiver;
        /** Whether the next messages are compressed; a test may change it (compression threshold). */
        boolean compressed;
        final boolean senderResets;
        /** Follows the sender's stream across messages; replaced per message when the sender resets. */
        private Inflater reference = new Inflater(true);

        Direction(Link link, boolean fromClient, boolean compressed, boolean senderResets) {
            this.link = link;
            this.sender = link.peer(fromClient);
            this.receiver = link.peer(!fromClient);
            this.compressed = compressed;
            this.senderResets = senderResets;
        }

        /**
         * Sends one message with {@code send}, delivers the bytes in calls of {@code chunkSize}, and
         * checks: the receiver got exactly this message; the data frames are one message (type,
         * continuations, FIN on the last only), RSV1 on the first frame only and only if compressed,
         * masking by role; the concatenated payload is the message itself (uncompressed) or a DEFLATE
         * stream that the reference inflater decodes to it.
         *
         * @return every frame written, control frames included
         */
        List<Frame> send(boolean text, byte[] expected, int chunkSize, Consumer<Connection> send) {
            int before = receiver.listener.messages.size();
            send.accept(sender.connection);
            List<Frame> frames = link.transfer(sender, chunkSize);
            receiver.listener.assertNoError();
            assertEquals(before + 1, receiver.listener.messages.size(), "messages received");
            Message got = receiver.listener.messages.get(before);
            assertEquals(text, got.text(), "message type");
            assertArrayEquals(expected, got.data(), () -> "message of " + expected.length + " bytes arrived changed");

            List<Frame> data = frames.stream().filter(f -> !f.isControl()).toList();
            assertFalse(data.isEmpty());
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            for (int i = 0; i < data.size(); i++) {
                Frame frame = data.get(i);
                assertEquals(i == 0 ? (text ? OP_TEXT : OP_BINARY) : OP_CONTINUATION, frame.opcode(), frame::toString);
                assertEquals(i == data.size() - 1, frame.fin(), () -> "FIN of frame " + frame);
                int rsv = i == 0 && compressed ? RSV1 : 0;
                assertEquals(rsv, frame.rsv(), () -> "RSV bits of data frame " + frame + " (RFC 7692 §6.1)");
                payload.writeBytes(frame.payload());
            }
            for (Frame frame : frames) {
                assertEquals(sender.role == Role.CLIENT, frame.masked(), "masking");
                if (frame.isControl()) {
                    assertEquals(0, frame.rsv(), "RSV bits of a control frame");
                }
            }
            byte[] wirePayload = payload.toByteArray();
            if (compressed) {
                if (senderResets) {
                    reference.end();
                    reference = new Inflater(true); // no context takeover: the message decodes on its own
                }
                assertArrayEquals(expected, inflateMessage(reference, wirePayload), "reference inflater");
            } else {
                assertArrayEquals(expected, wirePayload, "uncompressed payload");
            }
            return frames;
        }

        List<Frame> sendWhole(boolean text, byte[] message, int chunkSize) {
            return send(text, message, chunkSize, c -> {
                if (text) {
                    c.sendText(ByteBuffer.wrap(message), true);
                } else {
                    c.sendBinary(ByteBuffer.wrap(message), true);
                }
            });
        }

        /** The payload of a message sent whole (one frame). */
        byte[] sendWholePayload(boolean text, byte[] message) {
            List<Frame> frames = sendWhole(text, message, WHOLE);
            assertEquals(1, frames.size(), () -> "frames: " + frames);
            return frames.get(0).payload();
        }

        void end() {
            reference.end();
        }
    }

    // -------------------------------------------------------------------------------------- payloads

    /** Repeated JSON records: compresses well. ASCII, so any prefix is valid UTF-8. */
    static byte[] json(int size, long seed) {
        StringBuilder text = new StringBuilder(size + 100);
        Random random = new Random(seed);
        while (text.length() < size) {
            text.append("{\"id\":").append(random.nextInt(1000)).append(",\"name\":\"item-")
                    .append(random.nextInt(50)).append("\",\"tags\":[\"a\",\"b\"],\"active\":")
                    .append(random.nextBoolean()).append("},\n");
        }
        return Arrays.copyOf(utf8(text.toString()), size);
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Random code points of 1 to 4 UTF-8 bytes, exactly {@code size} bytes: compresses badly. */
    static byte[] randomUtf8(int size, long seed) {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        while (out.size() < size) {
            int length = 1 + random.nextInt(Math.min(4, size - out.size()));
            int codePoint = switch (length) {
                case 1 -> random.nextInt(0x80);
                case 2 -> 0x80 + random.nextInt(0x800 - 0x80);
                case 3 -> {
                    int c;
                    do {
                        c = 0x800 + random.nextInt(0x10000 - 0x800);
                    } while (c >= 0xD800 && c <= 0xDFFF);
                    yield c;
                }
                default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
            };
            out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = out.toByteArray();
        assertEquals(size, bytes.length);
        return bytes;
    }

    /** How well a payload compresses (Autobahn 12.x uses these three kinds of data). */
    enum Compressibility {
        GOOD, BAD, MIXED;

        byte[] payload(boolean text, int size, long seed) {
            return switch (this) {
                case GOOD -> json(size, seed);
                case BAD -> text ? randomUtf8(size, seed) : randomBytes(size, seed);
                case MIXED -> {
                    // blocks of 200 bytes, alternately JSON and random (valid UTF-8 as a whole for text)
                    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
                    int block = 0;
                    while (out.size() < size) {
                        int length = Math.min(200, size - out.size());
                        out.writeBytes(block % 2 == 0 ? json(length, seed + block)
                                : text ? randomUtf8(length, seed + block) : randomBytes(length, seed + block));
                        block++;
                    }
                    yield out.toByteArray();
                }
            };
        }
    }

    static void assertValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
        } catch (java.nio.charset.CharacterCodingException e) {
            fail("test payload is not UTF-8");
        }
    }
}
