package io.breakwater.protocol;

import static io.breakwater.protocol.RecordingListener.Message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Autobahn case group 1 (framing of text and binary messages of each length class) and the
 * masking rules of RFC 6455 §5.1-§5.3, for both ends, with the exact bytes written.
 */
@DisplayName("1 Framing and masking")
class FramingTest {

    // ---------------------------------------------------------------------- 1.1 text, 1.2 binary

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_1_1_emptyText(Role role) {
        roundTrip(role, TestFrame.TEXT, 0, "81 00");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_1_2_text125(Role role) {
        roundTrip(role, TestFrame.TEXT, 125, "81 7d");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_1_3_text126(Role role) {
        roundTrip(role, TestFrame.TEXT, 126, "81 7e 00 7e");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_1_4_text127(Role role) {
        roundTrip(role, TestFrame.TEXT, 127, "81 7e 00 7f");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_1_5_text128(Role role) {
        roundTrip(role, TestFrame.TEXT, 128, "81 7e 00 80");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_1_6_text65535(Role role) {
        roundTrip(role, TestFrame.TEXT, 65535, "81 7e ff ff");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_1_7_text65536(Role role) {
        roundTrip(role, TestFrame.TEXT, 65536, "81 7f 00 00 00 00 00 01 00 00");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_1_8_text65536ChoppedIn997(Role role) {
        byte[] payload = Payloads.text(65536);
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receiveChunked(997, TestFrame.text(payload));
        assertEquals(List.of(new Message(true, Blob.of(payload))), endpoint.messages());
        endpoint.assertNothingWritten();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_2_1_emptyBinary(Role role) {
        roundTrip(role, TestFrame.BINARY, 0, "82 00");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_2_2_binary125(Role role) {
        roundTrip(role, TestFrame.BINARY, 125, "82 7d");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_2_3_binary126(Role role) {
        roundTrip(role, TestFrame.BINARY, 126, "82 7e 00 7e");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_2_4_binary127(Role role) {
        roundTrip(role, TestFrame.BINARY, 127, "82 7e 00 7f");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_2_5_binary128(Role role) {
        roundTrip(role, TestFrame.BINARY, 128, "82 7e 00 80");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_2_6_binary65535(Role role) {
        roundTrip(role, TestFrame.BINARY, 65535, "82 7e ff ff");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_2_7_binary65536(Role role) {
        roundTrip(role, TestFrame.BINARY, 65536, "82 7f 00 00 00 00 00 01 00 00");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_1_2_8_binary65536ChoppedIn997(Role role) {
        byte[] payload = Payloads.binary(65536);
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receiveChunked(997, TestFrame.binary(payload));
        assertEquals(List.of(new Message(false, Blob.of(payload))), endpoint.messages());
        endpoint.assertNothingWritten();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void text1MiB(Role role) {
        roundTrip(role, TestFrame.TEXT, 1 << 20, "81 7f 00 00 00 00 00 10 00 00", 64, 4096, Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void binary16MiB(Role role) {
        roundTrip(role, TestFrame.BINARY, 16 << 20, "82 7f 00 00 00 00 01 00 00 00", 65536, Integer.MAX_VALUE);
    }

    private static void roundTrip(Role role, int opcode, int length, String serverHeaderHex) {
        roundTrip(role, opcode, length, serverHeaderHex, Endpoint.CHUNK_SIZES);
    }

    /**
     * Receives one frame of {@code length} bytes fed in each chunk size, then sends one and checks the
     * header bytes exactly: {@code serverHeaderHex} as a server writes it, with the mask bit and key for a client.
     */
    private static void roundTrip(Role role, int opcode, int length, String serverHeaderHex, int... chunkSizes) {
        boolean text = opcode == TestFrame.TEXT;
        byte[] payload = text ? Payloads.text(length) : Payloads.binary(length);
        for (int chunk : chunkSizes) {
            Endpoint endpoint = Endpoint.of(role);
            endpoint.receiveChunked(chunk, TestFrame.of(opcode, payload));
            assertEquals(List.of(new Message(text, Blob.of(payload))), endpoint.messages(), "chunk size " + chunk);
            assertPiecesWellFormed(endpoint.listener.events());
            endpoint.assertNothingWritten();
            assertEquals(0, endpoint.listener.closeCount());
            assertTrue(endpoint.connection.isOpen());
        }

        Endpoint endpoint = Endpoint.of(role);
        ByteBuffer source = ByteBuffer.wrap(payload);
        if (text) {
            endpoint.connection.sendText(source, true);
        } else {
            endpoint.connection.sendBinary(source, true);
        }
        assertEquals(1, endpoint.output.writes().size(), "one frame, one write");
        byte[] expectedHeader = Hex.parse(serverHeaderHex);
        if (role == Role.CLIENT) {
            expectedHeader[1] |= (byte) 0x80;
            expectedHeader = Hex.concat(expectedHeader, Hex.parse("37 fa 21 3d"));
        }
        assertEquals(Blob.of(expectedHeader), endpoint.output.writes().get(0).headerBytes());
        List<WireFrame> frames = endpoint.written();
        assertEquals(1, frames.size());
        endpoint.assertOwnFrame(frames.get(0), opcode, true, payload);
        assertEquals(0, source.position(), "sending leaves the caller's position alone");
    }

    /** Every piece but a message's last is non-empty, and only the last piece of each message says last. */
    static void assertPiecesWellFormed(List<RecordingListener.Event> events) {
        for (RecordingListener.Event event : events) {
            if (event instanceof RecordingListener.TextPiece piece && !piece.last()) {
                assertTrue(piece.data().length() > 0, () -> "an empty piece that is not the last: " + events);
            }
            if (event instanceof RecordingListener.BinaryPiece piece && !piece.last()) {
                assertTrue(piece.data().length() > 0, () -> "an empty piece that is not the last: " + events);
            }
        }
    }

    // ------------------------------------------------------------------------ RFC 6455 §5.7 examples

    @Test
    void rfcExamplesAsWrittenByTheEngine() {
        Endpoint server = Endpoint.server();
        server.connection.sendText("Hello");
        server.connection.sendPing(ByteBuffer.wrap("Hello".getBytes()));
        server.connection.sendBinary(ByteBuffer.wrap(new byte[256]), true);
        byte[] expected = Hex.concat(
                Hex.parse("81 05 48 65 6c 6c 6f"),
                Hex.parse("89 05 48 65 6c 6c 6f"),
                Hex.parse("82 7e 01 00"), new byte[256]);
        assertArrayEquals(expected, server.output.bytes());

        Endpoint client = Endpoint.client();
        client.connection.sendText("Hello");
        client.connection.sendPong(ByteBuffer.wrap("Hello".getBytes()));
        assertArrayEquals(Hex.concat(
                Hex.parse("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
                Hex.parse("8a 85 37 fa 21 3d 7f 9f 4d 51 58")), client.output.bytes());
    }

    @Test
    void rfcExamplesAsReadByTheEngine() {
        Endpoint server = Endpoint.server();
        server.feed(Hex.parse("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
        assertEquals(List.of(Message.text("Hello")), server.messages());

        Endpoint client = Endpoint.client();
        client.feed(Hex.parse("01 03 48 65 6c 80 02 6c 6f  89 05 48 65 6c 6c 6f"));
        assertEquals(List.of(Message.text("Hello"), new RecordingListener.Ping(Blob.utf8("Hello"))), client.messages());
        // The pong a client answers with is masked (RFC 6455 §5.7 shows it with this key).
        assertArrayEquals(Hex.parse("8a 85 37 fa 21 3d 7f 9f 4d 51 58"), client.output.bytes());
    }

    /** The test builder and decoder agree with the RFC's examples, so they are fit to judge the engine. */
    @Test
    void testHelpersReproduceRfcExamples() {
        assertArrayEquals(Hex.parse("81 05 48 65 6c 6c 6f"), TestFrame.text("Hello").encodeFor(Role.CLIENT, 0));
        assertArrayEquals(Hex.parse("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
                TestFrame.text("Hello").encodeFor(Role.SERVER, 0x37FA213D));
        assertArrayEquals(Hex.parse("01 03 48 65 6c"), TestFrame.text("Hel").fin(false).encodeFor(Role.CLIENT, 0));
        assertArrayEquals(Hex.parse("80 02 6c 6f"), TestFrame.continuation("lo").encodeFor(Role.CLIENT, 0));
        assertArrayEquals(Hex.parse("82 7e 01 00"), TestFrame.binary(new byte[256]).headerFor(Role.CLIENT, 0));
        assertArrayEquals(Hex.parse("82 7f 00 00 00 00 00 01 00 00"),
                TestFrame.binary(new byte[65536]).headerFor(Role.CLIENT, 0));
        assertArrayEquals(Hex.parse("82 7e 00 05"),
                TestFrame.binary(new byte[5]).length(TestFrame.LengthEncoding.FORCE_16).headerFor(Role.CLIENT, 0));
        assertArrayEquals(Hex.parse("c2 00"), TestFrame.binary(new byte[0]).rsv(4).encodeFor(Role.CLIENT, 0));

        List<WireFrame> frames = WireFrame.decodeAll(Hex.parse("8a 85 37 fa 21 3d 7f 9f 4d 51 58 01 03 48 65 6c"));
        assertEquals(2, frames.size());
        assertEquals(TestFrame.PONG, frames.get(0).opcode());
        assertTrue(frames.get(0).masked());
        assertEquals(0x37FA213D, frames.get(0).maskKey());
        assertEquals("Hello", new String(frames.get(0).payload()));
        assertFalse(frames.get(1).fin());
        assertEquals("Hel", new String(frames.get(1).payload()));
    }

    // --------------------------------------------------------------------------------------- masking

    @Test
    void serverFailsUnmaskedFrame() {
        Endpoint server = Endpoint.server();
        server.receive(TestFrame.text("Hello").unmasked());
        server.assertFailed(Violation.UNMASKED_CLIENT_FRAME);
        server.assertNothingDelivered();
        byte[] wire = server.output.bytes();
        assertEquals((byte) 0x88, wire[0], "FIN + close");
        assertEquals(wire.length - 2, wire[1], "unmasked, 7-bit length");
        assertArrayEquals(Hex.parse("03 ea"), new byte[] {wire[2], wire[3]}, "1002");
    }

    @Test
    void serverFailsUnmaskedFrameFromItsFirstTwoBytes() {
        Endpoint server = Endpoint.server();
        byte[] frame = server.encode(TestFrame.binary(new byte[300]).unmasked());
        server.feed(new byte[] {frame[0], frame[1]});
        server.assertFailed(Violation.UNMASKED_CLIENT_FRAME);
    }

    @Test
    void clientFailsMaskedFrame() {
        Endpoint client = Endpoint.client();
        client.receive(TestFrame.text("Hello").masked(0x01020304));
        client.assertFailed(Violation.MASKED_SERVER_FRAME);
        client.assertNothingDelivered();
        byte[] wire = client.output.bytes();
        assertEquals((byte) 0x88, wire[0]);
        assertEquals((byte) (0x80 | (wire.length - 6)), wire[1], "masked, 7-bit length");
        assertArrayEquals(Hex.parse("37 fa 21 3d"), Arrays.copyOfRange(wire, 2, 6));
        assertArrayEquals(Hex.parse("03 ea"), new byte[] {(byte) (wire[6] ^ 0x37), (byte) (wire[7] ^ 0xfa)}, "1002");
    }

    @Test
    void clientMasksEveryFrameWithTheNextKey() {
        int[] keys = {0x00000000, 0xFFFFFFFF, 0x12345678, 0x80808080, 0x0BADF00D, 0x7F000001};
        int[] next = {0};
        Endpoint client = Endpoint.client(() -> keys[next[0]++]);
        byte[] payload = Payloads.binary(1000);
        client.connection.sendText("κόσμε");
        client.connection.sendBinary(ByteBuffer.wrap(payload), true);
        client.connection.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        client.connection.sendPong(ByteBuffer.wrap(new byte[0]));
        client.connection.sendBinary(ByteBuffer.wrap(payload, 0, 7), false);
        client.connection.close(new CloseStatus(1000, "bye"));
        List<WireFrame> frames = client.written();
        assertEquals(6, frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertTrue(frames.get(i).masked());
            assertEquals(keys[i], frames.get(i).maskKey(), "frame " + i);
        }
        assertEquals("κόσμε", new String(frames.get(0).payload(), StandardCharsets.UTF_8));
        assertArrayEquals(payload, frames.get(1).payload());
        assertArrayEquals(new byte[] {1, 2, 3}, frames.get(2).payload());
        assertEquals(0, frames.get(3).payload().length);
        assertEquals(1000, frames.get(5).closeCode());
        assertEquals("bye", frames.get(5).closeReason());
        // The wire bytes really are masked: with key 12345678 the first ping byte is 01 ^ 12.
        byte[] wire = client.output.bytes();
        int pingAt = frames.get(0).header().length + frames.get(0).payload().length
                + frames.get(1).header().length + frames.get(1).payload().length;
        assertArrayEquals(Hex.parse("89 83 12 34 56 78 13 36 55"), Arrays.copyOfRange(wire, pingAt, pingAt + 9));
    }

    @Test
    void secureKeysAreFreshForEveryFrame() {
        Endpoint client = Endpoint.client(MaskKeySource.secure());
        byte[] payload = "the same payload every time".getBytes();
        for (int i = 0; i < 16; i++) {
            client.connection.sendBinary(ByteBuffer.wrap(payload), true);
        }
        List<WireFrame> frames = client.written();
        Set<Integer> keys = new HashSet<>();
        for (WireFrame frame : frames) {
            assertTrue(frame.masked());
            assertArrayEquals(payload, frame.payload());
            keys.add(frame.maskKey());
        }
        assertEquals(16, keys.size(), "16 frames, 16 different keys");
        List<CapturingOutput.Write> writes = client.output.writes();
        assertNotEquals(writes.get(0).payloadBytes(), writes.get(1).payloadBytes(), "masked payloads differ");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void length64WithTopBitSetFails(Role role) {
        for (long length : new long[] {0x8000_0000_0000_0000L, -1L, 0x8000_0000_0000_0005L}) {
            Endpoint endpoint = Endpoint.of(role);
            // The header alone: the payload it announces never comes.
            endpoint.feed(TestFrame.binary(new byte[0]).declaredLength64(length).headerFor(role, 0x11223344));
            endpoint.assertFailed(Violation.PAYLOAD_LENGTH_OUT_OF_RANGE);
        }
    }

    /** RFC 6455 §5.2 binds senders to the minimal length encoding; we accept the others. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void nonMinimalLengthEncodingsAreAccepted(Role role) {
        for (int length : new int[] {0, 1, 5, 125, 126, 200, 65535}) {
            for (TestFrame.LengthEncoding encoding : TestFrame.LengthEncoding.values()) {
                byte[] binary = Payloads.binary(length);
                byte[] text = Payloads.text(length);
                for (int chunk : new int[] {1, 5, Integer.MAX_VALUE}) {
                    Endpoint endpoint = Endpoint.of(role);
                    endpoint.receiveChunked(chunk,
                            TestFrame.binary(binary).length(encoding),
                            TestFrame.text(text).length(encoding),
                            TestFrame.text(text).fin(false).length(encoding),
                            TestFrame.continuation(new byte[0]).length(encoding));
                    assertEquals(List.of(new Message(false, Blob.of(binary)), new Message(true, Blob.of(text)),
                                    new Message(true, Blob.of(text))), endpoint.messages(),
                            encoding + " length " + length + " chunk " + chunk);
                    endpoint.assertNothingWritten();
                }
            }
        }
    }

    /**
     * A control frame's length is judged from its 7-bit field (RFC 6455 §5.5), so that an oversized
     * control frame fails from its first two bytes: a 16-bit or 64-bit length there fails even when
     * the length it encodes is small. Such a frame breaks two MUSTs of §5.2 and §5.5 at once.
     */
    @ParameterizedTest
    @EnumSource(Role.class)
    void controlFrameWithExtendedLengthFails(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.ping("abc").length(TestFrame.LengthEncoding.FORCE_16));
        endpoint.assertFailed(Violation.CONTROL_FRAME_TOO_LONG);
        endpoint.assertNothingDelivered();
    }

    // ------------------------------------------------------------------------------- input buffers

    /** The engine reads big-endian fields whatever the buffer's byte order, from heap, direct, sliced and read-only buffers. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void everyKindOfInputBuffer(Role role) {
        byte[] small = Payloads.binary(100);
        byte[] medium = Payloads.binary(3000);
        byte[] large = Payloads.binary(70000);
        byte[] text = Payloads.text(5000);
        List<RecordingListener.Item> expected = List.of(
                Message.binary(small), Message.binary(medium), Message.binary(large),
                new RecordingListener.Ping(Blob.of(new byte[] {9, 8, 7})), new Message(true, Blob.of(text)));
        List<Function<byte[], ByteBuffer>> kinds = List.of(
                ByteBuffer::wrap,
                bytes -> ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN),
                bytes -> ByteBuffer.allocateDirect(bytes.length).put(bytes).flip(),
                bytes -> ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN).put(bytes).flip(),
                bytes -> {
                    byte[] padded = new byte[bytes.length + 13];
                    System.arraycopy(bytes, 0, padded, 13, bytes.length);
                    return ByteBuffer.wrap(padded).position(13).slice();
                },
                bytes -> {
                    byte[] padded = new byte[bytes.length + 5];
                    System.arraycopy(bytes, 0, padded, 5, bytes.length);
                    return ByteBuffer.wrap(padded, 5, bytes.length);
                },
                bytes -> ByteBuffer.wrap(bytes).asReadOnlyBuffer());
        for (int k = 0; k < kinds.size(); k++) {
            for (int chunk : new int[] {1, 3, 1000, Integer.MAX_VALUE}) {
                Endpoint endpoint = Endpoint.of(role);
                byte[] wire = endpoint.encode(TestFrame.binary(small), TestFrame.binary(medium), TestFrame.binary(large),
                        TestFrame.ping(new byte[] {9, 8, 7}), TestFrame.text(text));
                for (int at = 0; at < wire.length; at += chunk) {
                    int length = (int) Math.min(chunk, (long) wire.length - at);
                    ByteBuffer buffer = kinds.get(k).apply(Arrays.copyOfRange(wire, at, at + length));
                    endpoint.connection.receive(buffer);
                    assertFalse(buffer.hasRemaining());
                }
                assertEquals(expected, endpoint.messages(), "buffer kind " + k + ", chunk " + chunk);
            }
        }
    }
}
