package io.breakwater.protocol;

import static io.breakwater.protocol.RecordingListener.Closed;
import static io.breakwater.protocol.RecordingListener.Data;
import static io.breakwater.protocol.RecordingListener.Failed;
import static io.breakwater.protocol.RecordingListener.Item;
import static io.breakwater.protocol.RecordingListener.Message;
import static io.breakwater.protocol.RecordingListener.Ping;
import static io.breakwater.protocol.RecordingListener.Pong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Group 10, a property test: seeded random streams of frames (messages of every kind, fragmented,
 * with pings and pongs between fragments, ending cleanly, with a close, with a random violation, or
 * cut short) are fed to fresh connections in one piece and in random chunks. Both feeds must report
 * the same merged events and write the same bytes, and both must match what the generator expects.
 *
 * <p>A failure names the seed; rerun one with {@code -Dbreakwater.seed=<seed> -Dbreakwater.streams=1}.
 */
@DisplayName("10 Random streams")
class StreamPropertyTest {

    private static final long BASE_SEED = Long.getLong("breakwater.seed", 0x5EED_0010L);
    private static final int STREAMS = Integer.getInteger("breakwater.streams", 3000);

    private static final int MAX_FRAME = 80_000;
    private static final int MAX_TEXT = 100_000;
    private static final int MAX_BINARY = 90_000;

    /** The ways a stream can break the protocol, each ending it with a close frame carrying its code. */
    enum Breakage {
        RESERVED_OPCODE, RESERVED_BITS, RSV_ON_CONTINUATION, RSV_ON_CONTROL, WRONG_MASKING, CONTROL_TOO_LONG,
        FRAGMENTED_CONTROL, CONTINUATION_WITHOUT_MESSAGE, DATA_INSIDE_MESSAGE, CLOSE_ONE_BYTE, INVALID_CLOSE_CODE,
        INVALID_CLOSE_REASON, LENGTH_TOP_BIT, FRAME_TOO_BIG, MESSAGE_TOO_BIG, INVALID_UTF8
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void wholeAndChunkedFeedsAgree(Role role) {
        Map<Breakage, Integer> seen = new EnumMap<>(Breakage.class);
        int closes = 0;
        for (int i = 0; i < STREAMS; i++) {
            long seed = BASE_SEED + i;
            Generated stream;
            try {
                stream = new Generator(new SplittableRandom(seed * 31 + role.ordinal()), role).generate();
                check(stream, seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("stream failed: role " + role + ", seed " + seed
                        + " (rerun with -Dbreakwater.seed=" + seed + " -Dbreakwater.streams=1): " + e.getMessage(), e);
            }
            if (stream.breakage != null) {
                seen.merge(stream.breakage, 1, Integer::sum);
            }
            if (stream.closed) {
                closes++;
            }
        }
        if (STREAMS >= 1000) {
            // The generator must reach every kind of violation, and closes, or the property says little.
            for (Breakage breakage : Breakage.values()) {
                assertTrue(seen.getOrDefault(breakage, 0) >= 5, () -> "too few streams with " + breakage + ": " + seen);
            }
            assertTrue(closes >= 100, "streams ending with a close: " + closes);
        }
    }

    private static void check(Generated stream, long seed) {
        Endpoint whole = stream.newEndpoint(seed);
        whole.feed(stream.wire);

        Endpoint chunked = stream.newEndpoint(seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0xC4C4C4C4L);
        int[] maxima = {1, 2, 7, 64, 1500, 100_000};
        int max = maxima[random.nextInt(maxima.length)];
        byte[] copy = stream.wire.clone();
        for (int at = 0; at < copy.length; ) {
            int length = Math.min(copy.length - at, 1 + random.nextInt(max));
            ByteBuffer chunk = chunk(random, copy, at, length);
            chunked.connection.receive(chunk);
            assertTrue(!chunk.hasRemaining(), "receive consumes its input");
            at += length;
        }

        String context = stream.describe();
        // (1) the two feeds agree with each other ...
        assertEquals(normalized(whole.listener.merged()), normalized(chunked.listener.merged()), context);
        assertEquals(Blob.of(whole.output.bytes()), Blob.of(chunked.output.bytes()), context);
        assertEquals(whole.connection.state(), chunked.connection.state(), context);
        assertEquals(whole.connection.isTransportCloseDue(), chunked.connection.isTransportCloseDue(), context);
        // (2) ... and with what the generator meant.
        for (Endpoint endpoint : List.of(whole, chunked)) {
            assertEquals(stream.expected, endpoint.messages(), context);
            assertEquals(stream.expectedOutput, describeOutput(endpoint), context);
            assertEquals(stream.terminated ? 1 : 0, endpoint.listener.closeCount(), context);
            FramingTest.assertPiecesWellFormed(endpoint.listener.events());
        }
    }

    /**
     * A text message that fails UTF-8 validation may have had a valid prefix of its failing frame
     * delivered when the frame came in pieces, and none when it came whole. That prefix is dropped
     * from both before comparing; what was delivered of it must be a prefix of the other.
     */
    private static List<Item> normalized(List<Item> merged) {
        List<Item> items = new ArrayList<>(merged);
        int n = items.size();
        if (n >= 3 && items.get(n - 2).equals(new Failed(Violation.INVALID_UTF8))
                && items.get(n - 3) instanceof Data data && !data.last()) {
            items.remove(n - 3);
        }
        return items;
    }

    private static List<String> describeOutput(Endpoint endpoint) {
        List<String> frames = new ArrayList<>();
        for (WireFrame frame : endpoint.written()) {
            assertEquals(endpoint.role == Role.CLIENT, frame.masked(), "a client masks, a server does not");
            assertTrue(frame.fin());
            assertEquals(0, frame.rsv());
            frames.add(frame.isClose() ? "CLOSE " + frame.closeCode() : "OPCODE " + frame.opcode() + " " + frame.payloadBlob());
        }
        return frames;
    }

    private static ByteBuffer chunk(SplittableRandom random, byte[] bytes, int at, int length) {
        switch (random.nextInt(8)) {
            case 0:
                return ByteBuffer.allocateDirect(length).put(bytes, at, length).flip();
            case 1:
                return ByteBuffer.wrap(bytes).position(at).slice().limit(length);
            case 2:
                return ByteBuffer.wrap(Arrays.copyOfRange(bytes, at, at + length)).asReadOnlyBuffer();
            case 3:
                return ByteBuffer.wrap(bytes, at, length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            default:
                return ByteBuffer.wrap(bytes, at, length);
        }
    }

    // -------------------------------------------------------------------------------- the generator

    /** A stream of frames with what a connection must report and write for it. */
    static final class Generated {
        final Role role;
        final boolean extension;
        final byte[] wire;
        final List<Item> expected;
        final List<String> expectedOutput;
        final List<String> log;
        final boolean terminated;
        final boolean closed;
        final Breakage breakage;

        Generated(Generator g) {
            this.role = g.role;
            this.extension = g.extension;
            this.wire = g.wire.toByteArray();
            this.expected = g.expected;
            this.expectedOutput = g.expectedOutput;
            this.log = g.log;
            this.terminated = g.terminated;
            this.closed = g.closed;
            this.breakage = g.breakage;
        }

        Endpoint newEndpoint(long seed) {
            SplittableRandom keys = new SplittableRandom(seed);
            Endpoint endpoint = role == Role.SERVER
                    ? Endpoint.of(role, extension ? new ReservedBitsTest.PassThroughExtension() : null)
                    : Endpoint.clientWith(extension ? new ReservedBitsTest.PassThroughExtension() : null, keys::nextInt);
            endpoint.connection.setMaxFrameSize(MAX_FRAME);
            endpoint.connection.setMaxTextMessageSize(MAX_TEXT);
            endpoint.connection.setMaxBinaryMessageSize(MAX_BINARY);
            return endpoint;
        }

        String describe() {
            String frames = String.join(", ", log);
            if (frames.length() > 3000) {
                frames = frames.substring(0, 3000) + "...";
            }
            return role + (extension ? " with an RSV1 extension" : "") + ", " + wire.length + " bytes: " + frames;
        }
    }

    static final class Generator {
        private static final int[] RESERVED_OPCODES = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15};
        private static final int[] VALID_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013,
                1014, 3000, 3456, 3999, 4000, 4321, 4999};
        private static final int[] INVALID_CODES = {0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000,
                65535};

        final SplittableRandom r;
        final Role role;
        final boolean extension;
        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        final List<Item> expected = new ArrayList<>();
        final List<String> expectedOutput = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        boolean terminated;
        boolean closed;
        Breakage breakage;

        Generator(SplittableRandom random, Role role) {
            this.r = random;
            this.role = role;
            this.extension = random.nextInt(4) == 0;
        }

        Generated generate() {
            int items = r.nextInt(13);
            for (int i = 0; i < items; i++) {
                int kind = r.nextInt(20);
                if (kind < 10) {
                    boolean text = r.nextBoolean();
                    message(text, payload(text, size()), r.nextInt(3) == 0 ? 1 + r.nextInt(6) : 1, true, -1);
                } else if (kind < 14) {
                    ping();
                } else if (kind < 17) {
                    pong();
                } else if (kind < 18) {
                    // Bytes that are valid but pointless: an empty text, an empty binary.
                    message(r.nextBoolean(), new byte[0], 1 + r.nextInt(3), true, -1);
                }
            }
            int ending = r.nextInt(10);
            if (ending < 3) {
                boolean open = r.nextBoolean();
                boolean text = r.nextBoolean();
                if (open) {
                    // End in the middle of a message, or in the middle of a frame.
                    message(text, payload(text, size()), 1 + r.nextInt(3), false, -1);
                }
                if (r.nextInt(3) == 0) {
                    byte[] data = payload(open && text, r.nextInt(300));
                    TestFrame cut = open ? TestFrame.continuation(data) : TestFrame.binary(data);
                    byte[] frame = frameBytes(cut.fin(r.nextBoolean()));
                    wire.write(frame, 0, r.nextInt(frame.length));
                    log.add("(truncated frame)");
                }
            } else if (ending < 6) {
                close();
            } else {
                breakage(Breakage.values()[r.nextInt(Breakage.values().length)]);
            }
            if (terminated && r.nextBoolean()) {
                // Whatever follows the end is ignored, garbage included.
                for (int i = r.nextInt(4); i >= 0; i--) {
                    emit(r.nextBoolean() ? TestFrame.text("after the end") : TestFrame.ping("after the end"));
                }
                byte[] garbage = new byte[r.nextInt(20)];
                r.nextBytes(garbage);
                wire.writeBytes(garbage);
            }
            return new Generated(this);
        }

        private int size() {
            int kind = r.nextInt(50);
            if (kind == 0) {
                return 65_530 + r.nextInt(4_470);
            }
            return kind < 5 ? r.nextInt(3000) : r.nextInt(200);
        }

        private byte[] payload(boolean text, int size) {
            if (!text) {
                byte[] bytes = new byte[size];
                r.nextBytes(bytes);
                return bytes;
            }
            byte[] utf8 = Payloads.randomUtf8(r, size);
            // Cut back to a code point boundary at or below the size, for variety in lengths.
            int end = Math.min(size, utf8.length);
            while (end > 0 && end < utf8.length && (utf8[end] & 0xC0) == 0x80) {
                end--;
            }
            return Arrays.copyOf(utf8, end);
        }

        private byte[] frameBytes(TestFrame frame) {
            return frame.encodeFor(role, r.nextInt());
        }

        private void emit(TestFrame frame) {
            int length = frame.payload().length;
            if (frame.opcode() <= TestFrame.BINARY && r.nextInt(6) == 0) {
                // Non-minimal length encodings are accepted for data frames.
                frame.length(length <= 0xFFFF && r.nextBoolean() ? TestFrame.LengthEncoding.FORCE_16
                        : TestFrame.LengthEncoding.FORCE_64);
            }
            wire.writeBytes(frameBytes(frame));
            log.add(frame.toString());
        }

        private void expect(Item item) {
            if (!terminated) {
                expected.add(item);
            }
        }

        private void fail(Violation violation) {
            if (!terminated) {
                expected.add(new Failed(violation));
                expected.add(new Closed(new CloseStatus(violation.closeCode(), violation.description())));
                expectedOutput.add("CLOSE " + violation.closeCode());
                terminated = true;
            }
        }

        private void ping() {
            byte[] data = payload(r.nextBoolean(), r.nextInt(126));
            emit(TestFrame.ping(data));
            if (!terminated) {
                expect(new Ping(Blob.of(data)));
                expectedOutput.add("OPCODE " + TestFrame.PONG + " " + Blob.of(data));
            }
        }

        private void pong() {
            byte[] data = payload(r.nextBoolean(), r.nextInt(126));
            emit(TestFrame.pong(data));
            expect(new Pong(Blob.of(data)));
        }

        /**
         * A data message in {@code fragments} frames cut at random points (code points too), with
         * pings and pongs between; {@code finish} false leaves it open. {@code failAt} is the index of
         * the byte that makes the text invalid, {@link Integer#MAX_VALUE} when only its end does, -1 if valid.
         */
        private void message(boolean text, byte[] payload, int fragments, boolean finish, int failAt) {
            int[] cuts = new int[fragments + 1];
            for (int i = 1; i < fragments; i++) {
                cuts[i] = r.nextInt(payload.length + 1);
            }
            cuts[fragments] = payload.length;
            Arrays.sort(cuts, 1, fragments);
            boolean rsv1 = extension && r.nextBoolean();
            for (int i = 0; i < fragments; i++) {
                boolean last = i == fragments - 1;
                byte[] part = Arrays.copyOfRange(payload, cuts[i], cuts[i + 1]);
                TestFrame frame = TestFrame.of(i == 0 ? (text ? TestFrame.TEXT : TestFrame.BINARY) : TestFrame.CONTINUATION,
                        part).fin(finish && last);
                if (i == 0 && rsv1) {
                    frame.rsvBits(MessageExtension.RSV1);
                }
                emit(frame);
                boolean failsHere = failAt >= cuts[i] && failAt < cuts[i + 1]
                        || (failAt == Integer.MAX_VALUE && last && finish);
                if (failsHere) {
                    fail(Violation.INVALID_UTF8);
                }
                if ((!last || !finish) && r.nextInt(3) == 0) {
                    if (r.nextBoolean()) {
                        ping();
                    } else {
                        pong();
                    }
                }
            }
            if (finish) {
                expect(new Message(text, Blob.of(payload)));
            }
        }

        private void close() {
            closed = !terminated;
            if (r.nextInt(4) == 0) {
                emit(TestFrame.closeEmpty());
                expect(new Closed(CloseStatus.NO_STATUS));
                if (!terminated) {
                    expectedOutput.add("CLOSE " + CloseStatus.NO_STATUS_RECEIVED);
                }
            } else {
                int code = VALID_CODES[r.nextInt(VALID_CODES.length)];
                String reason = reason(r.nextInt(124));
                emit(TestFrame.close(code, reason));
                expect(new Closed(new CloseStatus(code, reason)));
                if (!terminated) {
                    expectedOutput.add("CLOSE " + code);
                }
            }
            terminated = true;
        }

        private String reason(int maxBytes) {
            byte[] utf8 = payload(true, maxBytes);
            return new String(utf8, StandardCharsets.UTF_8);
        }

        private int controlOpcode() {
            return new int[] {TestFrame.PING, TestFrame.PONG, TestFrame.CLOSE}[r.nextInt(3)];
        }

        private void breakage(Breakage kind) {
            breakage = kind;
            switch (kind) {
                case RESERVED_OPCODE -> {
                    emit(TestFrame.of(RESERVED_OPCODES[r.nextInt(RESERVED_OPCODES.length)], payload(false, r.nextInt(10)))
                            .fin(r.nextBoolean()));
                    fail(Violation.RESERVED_OPCODE);
                }
                case RESERVED_BITS -> {
                    int bits = extension ? (r.nextBoolean() ? 2 : 1) | (r.nextBoolean() ? 4 : 0) : 1 + r.nextInt(7);
                    int opcode = new int[] {TestFrame.TEXT, TestFrame.BINARY, TestFrame.PING, TestFrame.PONG,
                            TestFrame.CLOSE}[r.nextInt(5)];
                    emit(TestFrame.of(opcode, new byte[0]).rsv(bits));
                    fail(Violation.RESERVED_BITS_SET);
                }
                case RSV_ON_CONTINUATION -> {
                    message(r.nextBoolean(), payload(false, 0), 1, false, -1);
                    if (extension) {
                        emit(TestFrame.continuation(new byte[0]).rsvBits(MessageExtension.RSV1));
                        fail(Violation.RESERVED_BITS_ON_CONTINUATION);
                    } else {
                        emit(TestFrame.continuation(new byte[0]).rsv(1 + r.nextInt(7)));
                        fail(Violation.RESERVED_BITS_SET);
                    }
                }
                case RSV_ON_CONTROL -> {
                    if (extension) {
                        emit(TestFrame.of(controlOpcode(), new byte[0]).rsvBits(MessageExtension.RSV1));
                        fail(Violation.RESERVED_BITS_ON_CONTROL_FRAME);
                    } else {
                        emit(TestFrame.of(controlOpcode(), new byte[0]).rsv(1 + r.nextInt(7)));
                        fail(Violation.RESERVED_BITS_SET);
                    }
                }
                case WRONG_MASKING -> {
                    TestFrame frame = r.nextBoolean() ? TestFrame.text("x") : TestFrame.ping("y");
                    emit(role == Role.SERVER ? frame.unmasked() : frame.masked(r.nextInt()));
                    fail(role == Role.SERVER ? Violation.UNMASKED_CLIENT_FRAME : Violation.MASKED_SERVER_FRAME);
                }
                case CONTROL_TOO_LONG -> {
                    emit(TestFrame.of(controlOpcode(), payload(false, 126 + r.nextInt(100))));
                    fail(Violation.CONTROL_FRAME_TOO_LONG);
                }
                case FRAGMENTED_CONTROL -> {
                    emit(TestFrame.of(controlOpcode(), new byte[] {3, (byte) 0xE8}).fin(false));
                    fail(Violation.FRAGMENTED_CONTROL_FRAME);
                }
                case CONTINUATION_WITHOUT_MESSAGE -> {
                    emit(TestFrame.continuation(payload(false, r.nextInt(10))).fin(r.nextBoolean()));
                    fail(Violation.CONTINUATION_WITHOUT_MESSAGE);
                }
                case DATA_INSIDE_MESSAGE -> {
                    boolean text = r.nextBoolean();
                    message(text, payload(text, size()), 1 + r.nextInt(3), false, -1);
                    emit(TestFrame.of(r.nextBoolean() ? TestFrame.TEXT : TestFrame.BINARY, new byte[] {'x'})
                            .fin(r.nextBoolean()));
                    fail(Violation.DATA_FRAME_INSIDE_MESSAGE);
                }
                case CLOSE_ONE_BYTE -> {
                    emit(TestFrame.of(TestFrame.CLOSE, new byte[] {(byte) r.nextInt(256)}));
                    fail(Violation.CLOSE_PAYLOAD_TOO_SHORT);
                }
                case INVALID_CLOSE_CODE -> {
                    emit(TestFrame.close(INVALID_CODES[r.nextInt(INVALID_CODES.length)], reason(20)));
                    fail(Violation.INVALID_CLOSE_CODE);
                }
                case INVALID_CLOSE_REASON -> {
                    byte[] reason = Hex.concat(reason(40).getBytes(StandardCharsets.UTF_8), invalidUtf8()[0]);
                    emit(TestFrame.close(VALID_CODES[r.nextInt(VALID_CODES.length)], reason));
                    fail(Violation.INVALID_CLOSE_REASON);
                }
                case LENGTH_TOP_BIT -> {
                    header(TestFrame.binary(new byte[0]).declaredLength64(Long.MIN_VALUE | r.nextLong(1L << 40)));
                    fail(Violation.PAYLOAD_LENGTH_OUT_OF_RANGE);
                }
                case FRAME_TOO_BIG -> {
                    header(TestFrame.of(r.nextBoolean() ? TestFrame.TEXT : TestFrame.BINARY, new byte[0])
                            .declaredLength(MAX_FRAME + 1 + r.nextLong(1L << 40)));
                    fail(Violation.FRAME_TOO_BIG);
                }
                case MESSAGE_TOO_BIG -> {
                    boolean text = r.nextBoolean();
                    int limit = text ? MAX_TEXT : MAX_BINARY;
                    int first = limit - MAX_FRAME + 1 + r.nextInt(MAX_FRAME - (limit - MAX_FRAME) - 1);
                    byte[] part = text ? Payloads.text(first) : Payloads.binary(first);
                    emit(TestFrame.of(text ? TestFrame.TEXT : TestFrame.BINARY, part).fin(false));
                    if (r.nextBoolean()) {
                        ping();
                    }
                    header(TestFrame.continuation(new byte[0]).fin(r.nextBoolean())
                            .declaredLength(limit - first + 1 + r.nextInt(MAX_FRAME - (limit - first))));
                    fail(Violation.MESSAGE_TOO_BIG);
                }
                case INVALID_UTF8 -> {
                    byte[][] bad = invalidUtf8();
                    byte[] prefix = payload(true, r.nextInt(300));
                    boolean atEnd = bad[1][0] < 0;
                    byte[] suffix = atEnd ? new byte[0] : payload(true, r.nextInt(300));
                    byte[] message = Hex.concat(prefix, bad[0], suffix);
                    int failAt = atEnd ? Integer.MAX_VALUE : prefix.length + bad[1][0];
                    message(true, message, 1 + r.nextInt(5), true, failAt);
                }
                default -> throw new IllegalStateException(kind.toString());
            }
        }

        /** Only the header of a frame whose announced payload never comes. */
        private void header(TestFrame frame) {
            wire.writeBytes(frame.headerFor(role, r.nextInt()));
            log.add(frame + " (header only)");
        }

        /**
         * Invalid UTF-8 to put after a code point boundary: the bytes, and the offset of the byte that
         * makes them invalid, or -1 when they are a code point cut short (invalid only at the end).
         */
        private byte[][] invalidUtf8() {
            int kind = r.nextInt(9);
            byte[] bytes;
            int offset;
            switch (kind) {
                case 0 -> {
                    bytes = new byte[] {(byte) r.nextInt(0x80, 0xC0)};
                    offset = 0;
                }
                case 1 -> {
                    bytes = new byte[] {(byte) (0xC0 + r.nextInt(2)), (byte) r.nextInt(0x80, 0xC0)};
                    offset = 0;
                }
                case 2 -> {
                    bytes = new byte[] {(byte) r.nextInt(0xF5, 0x100)};
                    offset = 0;
                }
                case 3 -> {
                    bytes = new byte[] {(byte) 0xE0, (byte) r.nextInt(0x80, 0xA0), (byte) 0x80};
                    offset = 1;
                }
                case 4 -> {
                    bytes = new byte[] {(byte) 0xED, (byte) r.nextInt(0xA0, 0xC0), (byte) 0x80};
                    offset = 1;
                }
                case 5 -> {
                    bytes = new byte[] {(byte) 0xF0, (byte) r.nextInt(0x80, 0x90), (byte) 0x80, (byte) 0x80};
                    offset = 1;
                }
                case 6 -> {
                    bytes = new byte[] {(byte) 0xF4, (byte) r.nextInt(0x90, 0xC0), (byte) 0x80, (byte) 0x80};
                    offset = 1;
                }
                case 7 -> {
                    // A lead byte, then fewer continuations than it needs, then ASCII.
                    bytes = new byte[] {(byte) 0xE1, (byte) 0x80, 'A'};
                    offset = 2;
                }
                default -> {
                    byte[] cp = new String(Character.toChars(r.nextInt(0x10000, 0x110000))).getBytes(StandardCharsets.UTF_8);
                    bytes = Arrays.copyOf(cp, 1 + r.nextInt(3));
                    offset = -1;
                }
            }
            return new byte[][] {bytes, {(byte) offset}};
        }
    }
}
