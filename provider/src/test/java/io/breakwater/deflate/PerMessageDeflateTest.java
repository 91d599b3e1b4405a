package io.breakwater.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.ProtocolException;
import io.breakwater.protocol.Role;
import io.breakwater.protocol.Violation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PerMessageDeflateTest {

    private final List<MessageExtension> created = new ArrayList<>();

    @AfterEach
    void release() {
        created.forEach(MessageExtension::release);
    }

    private PerMessageDeflate codec(boolean noContextTakeover) {
        PerMessageDeflate codec = new PerMessageDeflate(Deflater.DEFAULT_COMPRESSION, noContextTakeover,
                noContextTakeover, 0);
        created.add(codec);
        return codec;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static byte[] encode(MessageExtension codec, byte[] message) {
        ByteBuffer part = ByteBuffer.wrap(message);
        assertEquals(MessageExtension.RSV1, codec.encodingFor(part, true));
        ByteBuffer encoded = codec.encode(part, true);
        assertEquals(0, part.position(), "the part is not modified");
        return bytes(encoded);
    }

    private static byte[] decode(MessageExtension codec, byte[] payload) throws ProtocolException {
        return decode(codec, List.of(payload));
    }

    /** Decodes one message given as frames' payloads. */
    private static byte[] decode(MessageExtension codec, List<byte[]> frames) throws ProtocolException {
        Collector sink = new Collector();
        for (int i = 0; i < frames.size(); i++) {
            ByteBuffer payload = ByteBuffer.wrap(frames.get(i));
            codec.decode(MessageExtension.RSV1, payload, i == frames.size() - 1, sink);
            assertEquals(0, payload.remaining(), "decode consumes all of its input");
        }
        return sink.out.toByteArray();
    }

    private static final class Collector implements MessageExtension.PayloadSink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces;

        @Override
        public void accept(ByteBuffer decoded) {
            assertTrue(decoded.remaining() <= PerMessageDeflate.INFLATE_CHUNK);
            pieces++;
            out.writeBytes(bytes(decoded));
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] compressible(int size) {
        StringBuilder text = new StringBuilder();
        Random random = new Random(7);
        while (text.length() < size) {
            text.append("{\"id\":").append(random.nextInt(1000)).append(",\"name\":\"item-")
                    .append(random.nextInt(50)).append("\",\"tags\":[\"a\",\"b\"],\"active\":")
                    .append(random.nextBoolean()).append("},\n");
        }
        return Arrays.copyOf(text.toString().getBytes(StandardCharsets.UTF_8), size);
    }

    // ---- round trips ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTrips(boolean noContextTakeover) throws ProtocolException {
        PerMessageDeflate sender = codec(noContextTakeover);
        PerMessageDeflate receiver = codec(noContextTakeover);
        List<byte[]> messages = List.of(
                new byte[0],
                "Hello".getBytes(StandardCharsets.US_ASCII),
                compressible(1024),
                new byte[0],
                random(1 << 20, 1),
                compressible(1 << 20),
                new byte[0],
                new byte[0],
                "Hello".getBytes(StandardCharsets.US_ASCII),
                "Hello".getBytes(StandardCharsets.US_ASCII));
        for (byte[] message : messages) {
            byte[] encoded = encode(sender, message);
            assertTrue(encoded.length > 0, "a compressed payload is never empty");
            assertArrayEquals(message, decode(receiver, encoded));
        }
    }

    @Test
    void emptyMessageOnAFreshStreamIsOneZeroOctet() {
        // an empty stored block with its LEN/NLEN removed
        assertArrayEquals(hex("00"), encode(codec(false), new byte[0]));
    }

    @Test
    void compressesMuch() {
        byte[] message = compressible(1 << 20);
        assertTrue(encode(codec(false), message).length < message.length / 4);
    }

    @Test
    void contextTakeoverMakesARepeatedMessageSmaller() throws ProtocolException {
        PerMessageDeflate sender = codec(false);
        PerMessageDeflate receiver = codec(false);
        byte[] message = compressible(1024);
        byte[] first = encode(sender, message);
        byte[] second = encode(sender, message);
        assertTrue(second.length < first.length / 4, first.length + " then " + second.length);
        assertArrayEquals(message, decode(receiver, first));
        assertArrayEquals(message, decode(receiver, second));
    }

    @Test
    void noContextTakeoverCompressesEveryMessageAlike() throws ProtocolException {
        PerMessageDeflate sender = codec(true);
        PerMessageDeflate receiver = codec(true);
        byte[] message = compressible(1024);
        byte[] first = encode(sender, message);
        byte[] second = encode(sender, message);
        assertArrayEquals(first, second);
        assertArrayEquals(message, decode(receiver, first));
        assertArrayEquals(message, decode(receiver, second));
        // a fresh receiver reads the second message on its own
        assertArrayEquals(message, decode(codec(true), second));
    }

    @Test
    void rolesPairUp() throws ProtocolException {
        DeflateParameters parameters = new DeflateParameters(true, false, 15, 15);
        MessageExtension server = parameters.newExtension(Role.SERVER, DeflateConfig.DEFAULTS);
        MessageExtension client = parameters.newExtension(Role.CLIENT, DeflateConfig.DEFAULTS);
        created.add(server);
        created.add(client);
        byte[] message = compressible(2048);
        // the server resets per message: same bytes twice
        assertArrayEquals(encode(server, message), encode(server, message));
        // the client keeps its context: the second is smaller
        byte[] first = encode(client, message);
        byte[] second = encode(client, message);
        assertTrue(second.length < first.length);
        assertArrayEquals(message, decode(server, first));
        assertArrayEquals(message, decode(server, second));
        assertArrayEquals(message, decode(client, encode(server, message)));
    }

    @Test
    void compressionThreshold() {
        PerMessageDeflate codec = new PerMessageDeflate(Deflater.DEFAULT_COMPRESSION, false, false, 100);
        created.add(codec);
        assertEquals(0, codec.encodingFor(ByteBuffer.allocate(99), true));
        assertEquals(MessageExtension.RSV1, codec.encodingFor(ByteBuffer.allocate(100), true));
        // the size of a message sent in parts is unknown
        assertEquals(MessageExtension.RSV1, codec.encodingFor(ByteBuffer.allocate(10), false));
    }

    // ---- messages sent in parts -------------------------------------------------------------------

    private static List<byte[]> encodeParts(MessageExtension codec, List<byte[]> parts) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            frames.add(bytes(codec.encode(ByteBuffer.wrap(parts.get(i)), i == parts.size() - 1)));
        }
        return frames;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void partialSendsRoundTrip(boolean noContextTakeover) throws ProtocolException {
        PerMessageDeflate sender = codec(noContextTakeover);
        PerMessageDeflate receiver = codec(noContextTakeover);
        List<List<byte[]>> messages = List.of(
                List.of(compressible(3000), random(5000, 2), compressible(70_000)),
                List.of(new byte[0], "Hel".getBytes(StandardCharsets.US_ASCII), new byte[0],
                        "lo".getBytes(StandardCharsets.US_ASCII)),
                List.of(compressible(100), new byte[0]),
                List.of(new byte[0], new byte[0]),
                List.of(compressible(100), compressible(100)));
        for (List<byte[]> parts : messages) {
            List<byte[]> frames = encodeParts(sender, parts);
            assertTrue(frames.get(frames.size() - 1).length > 0, "the last frame of a message is never empty");
            assertArrayEquals(concat(parts), decode(receiver, frames));
        }
    }

    @Test
    void partsFormOneStream() throws ProtocolException {
        // the second part refers back into the first
        PerMessageDeflate sender = codec(true);
        byte[] part = compressible(4000);
        List<byte[]> frames = encodeParts(sender, List.of(part, part));
        assertTrue(frames.get(1).length < frames.get(0).length / 4);
        // only the last part loses its flush tail
        byte[] first = frames.get(0);
        assertArrayEquals(hex("0000ffff"), Arrays.copyOfRange(first, first.length - 4, first.length));
        assertArrayEquals(concat(List.of(part, part)), decode(codec(true), List.of(concat(frames))));
    }

    // ---- known bytes on the wire (RFC 7692 §7.2.3) ------------------------------------------------

    @Test
    void rfcExampleOneBlock() throws ProtocolException {
        // §7.2.3.1
        assertArrayEquals("Hello".getBytes(StandardCharsets.US_ASCII), decode(codec(false), hex("f2 48 cd c9 c9 07 00")));
    }

    @Test
    void rfcExampleSharedWindow() throws ProtocolException {
        // §7.2.3.2: the second message refers back into the first
        PerMessageDeflate receiver = codec(false);
        assertArrayEquals("Hello".getBytes(StandardCharsets.US_ASCII), decode(receiver, hex("f2 48 cd c9 c9 07 00")));
        assertArrayEquals("Hello".getBytes(StandardCharsets.US_ASCII), decode(receiver, hex("f2 00 11 00 00")));
    }

    @Test
    void encoderMatchesRfcExamples() {
        PerMessageDeflate sender = codec(false);
        assertArrayEquals(hex("f2 48 cd c9 c9 07 00"), encode(sender, "Hello".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(hex("f2 00 11 00 00"), encode(sender, "Hello".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void rfcExampleStoredBlock() throws ProtocolException {
        // §7.2.3.3: BTYPE=00, no compression
        assertArrayEquals("Hello".getBytes(StandardCharsets.US_ASCII),
                decode(codec(false), hex("00 05 00 fa ff 48 65 6c 6c 6f 00")));
    }

    @Test
    void storedBlockMadeByNoCompression() throws ProtocolException {
        PerMessageDeflate sender = new PerMessageDeflate(Deflater.NO_COMPRESSION, false, false, 0);
        created.add(sender);
        byte[] message = compressible(100_000);
        byte[] encoded = encode(sender, message);
        assertTrue(encoded.length > message.length);
        assertArrayEquals(message, decode(codec(false), encoded));
    }

    @Test
    void rfcExampleBfinal() throws ProtocolException {
        // §7.2.3.4: a BFINAL block followed by 0x00; the next message starts a new stream
        PerMessageDeflate receiver = codec(false);
        byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(hello, decode(receiver, hex("f3 48 cd c9 c9 07 00 00")));
        assertArrayEquals(hello, decode(receiver, hex("f2 48 cd c9 c9 07 00")));
        // without the trailing 0x00 too
        assertArrayEquals(hello, decode(receiver, hex("f3 48 cd c9 c9 07 00")));
        assertArrayEquals(hello, decode(receiver, hex("f2 48 cd c9 c9 07 00")));
        assertArrayEquals(hello, decode(receiver, hex("f2 00 11 00 00")));
        // a whole empty stored block after the final one: the restored tail then starts a block that
        // never ends, which the reset before the next message discards
        assertArrayEquals(hello, decode(receiver, hex("f3 48 cd c9 c9 07 00 00 00 00 ff ff")));
        assertArrayEquals(hello, decode(receiver, hex("f2 48 cd c9 c9 07 00")));
    }

    @Test
    void bfinalThenMoreDataInOneMessage() throws ProtocolException {
        // a stream that the sender finished, then a second one, in one message
        byte[] first = finishedStream("Hello, ");
        byte[] second = hex("f2 48 cd c9 c9 07 00");
        byte[] payload = concat(List.of(first, second));
        assertArrayEquals("Hello, Hello".getBytes(StandardCharsets.US_ASCII), decode(codec(false), payload));
    }

    private static byte[] finishedStream(String text) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(text.getBytes(StandardCharsets.US_ASCII));
            deflater.finish();
            byte[] out = new byte[256];
            int length = deflater.deflate(out);
            assertTrue(deflater.finished());
            return Arrays.copyOf(out, length);
        } finally {
            deflater.end();
        }
    }

    @Test
    void rfcExampleTwoBlocks() throws ProtocolException {
        // §7.2.3.5
        assertArrayEquals("Hello".getBytes(StandardCharsets.US_ASCII),
                decode(codec(false), hex("f2 48 05 00 00 00 ff ff ca c9 c9 07 00")));
    }

    @Test
    void emptyPayloadIsAnEmptyMessage() throws ProtocolException {
        // not valid DEFLATE, but read leniently without disturbing the shared window
        PerMessageDeflate receiver = codec(false);
        assertArrayEquals("Hello".getBytes(StandardCharsets.US_ASCII), decode(receiver, hex("f2 48 cd c9 c9 07 00")));
        assertArrayEquals(new byte[0], decode(receiver, new byte[0]));
        assertArrayEquals(new byte[0], decode(receiver, hex("00")));
        assertArrayEquals("Hello".getBytes(StandardCharsets.US_ASCII), decode(receiver, hex("f2 00 11 00 00")));
    }

    // ---- chunking, limits, errors -----------------------------------------------------------------

    @Test
    void decodingByteByByteGivesTheSameOutput() throws ProtocolException {
        PerMessageDeflate sender = codec(false);
        PerMessageDeflate whole = codec(false);
        PerMessageDeflate byteByByte = codec(false);
        for (byte[] message : List.of(compressible(50_000), random(20_000, 3), compressible(50_000), new byte[0])) {
            byte[] encoded = encode(sender, message);
            List<byte[]> single = new ArrayList<>();
            for (byte b : encoded) {
                single.add(new byte[] {b});
            }
            assertArrayEquals(message, decode(whole, encoded));
            assertArrayEquals(message, decode(byteByByte, single));
        }
    }

    @Test
    void decodeConsumesDirectAndReadOnlyBuffers() throws ProtocolException {
        PerMessageDeflate sender = codec(false);
        PerMessageDeflate receiver = codec(false);
        byte[] message = compressible(40_000);
        byte[] encoded = encode(sender, message);
        ByteBuffer direct = ByteBuffer.allocateDirect(encoded.length).put(encoded).flip();
        Collector sink = new Collector();
        receiver.decode(MessageExtension.RSV1, direct, true, sink);
        assertEquals(0, direct.remaining());
        assertArrayEquals(message, sink.out.toByteArray());

        encoded = encode(sender, message);
        ByteBuffer readOnly = ByteBuffer.wrap(encoded).asReadOnlyBuffer();
        sink = new Collector();
        receiver.decode(MessageExtension.RSV1, readOnly, true, sink);
        assertArrayEquals(message, sink.out.toByteArray());

        ByteBuffer readOnlyPart = ByteBuffer.wrap(message).asReadOnlyBuffer();
        byte[] encodedFromReadOnly = bytes(sender.encode(readOnlyPart, true));
        assertEquals(0, readOnlyPart.position());
        assertArrayEquals(message, decode(receiver, encodedFromReadOnly));
    }

    @Test
    void deflateBombStopsAtTheSinkLimit() {
        byte[] zeros = new byte[10 << 20];
        byte[] bomb = encode(codec(true), zeros);
        assertTrue(bomb.length < 20_000, "bomb is " + bomb.length + " bytes");

        int limit = 64 * 1024;
        long[] total = {0};
        MessageExtension.PayloadSink limited = decoded -> {
            total[0] += decoded.remaining();
            if (total[0] > limit) {
                throw new ProtocolException(Violation.MESSAGE_TOO_BIG);
            }
        };
        ProtocolException thrown = assertThrows(ProtocolException.class,
                () -> codec(true).decode(MessageExtension.RSV1, ByteBuffer.wrap(bomb), true, limited));
        assertSame(Violation.MESSAGE_TOO_BIG, thrown.violation());
        assertTrue(total[0] <= limit + PerMessageDeflate.INFLATE_CHUNK, "sink got " + total[0]);
    }

    @Test
    void garbageIsInvalidCompressedData() {
        // BTYPE=11 is reserved (RFC 1951 §3.2.3)
        ProtocolException thrown = assertThrows(ProtocolException.class,
                () -> decode(codec(false), hex("ff ff ff ff ff")));
        assertSame(Violation.INVALID_COMPRESSED_DATA, thrown.violation());
        assertEquals(Violation.INVALID_COMPRESSED_DATA.closeCode(), thrown.closeCode());
    }

    @Test
    void storedBlockWithBadLengthIsInvalidCompressedData() {
        // LEN and NLEN do not complement each other
        ProtocolException thrown = assertThrows(ProtocolException.class,
                () -> decode(codec(false), hex("00 05 00 fa fe 48 65 6c 6c 6f 00")));
        assertSame(Violation.INVALID_COMPRESSED_DATA, thrown.violation());
    }

    @Test
    void distanceTooFarBackIsInvalidCompressedData() {
        // §7.2.3.2's second message refers to a first message this fresh receiver never saw
        ProtocolException thrown = assertThrows(ProtocolException.class,
                () -> decode(codec(false), hex("f2 00 11 00 00")));
        assertSame(Violation.INVALID_COMPRESSED_DATA, thrown.violation());
    }

    @Test
    void receiverWithoutTakeoverForgetsThePreviousMessage() {
        PerMessageDeflate sender = codec(false); // the sender (wrongly) keeps its context
        PerMessageDeflate receiver = new PerMessageDeflate(Deflater.DEFAULT_COMPRESSION, false, true, 0);
        created.add(receiver);
        byte[] message = compressible(1024);
        assertDoesNotThrowProtocol(() -> decode(receiver, encode(sender, message)));
        ProtocolException thrown = assertThrows(ProtocolException.class,
                () -> decode(receiver, encode(sender, message)));
        assertSame(Violation.INVALID_COMPRESSED_DATA, thrown.violation());
    }

    private interface ProtocolCall {
        void run() throws ProtocolException;
    }

    private static void assertDoesNotThrowProtocol(ProtocolCall call) {
        try {
            call.run();
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void outputFromAnIndependentInflater() throws Exception {
        // our wire format is plain raw DEFLATE once the tail is restored
        byte[] message = compressible(10_000);
        byte[] encoded = encode(codec(false), message);
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(concat(List.of(encoded, hex("0000ffff"))));
            byte[] out = new byte[message.length + 10];
            int length = inflater.inflate(out);
            assertArrayEquals(message, Arrays.copyOf(out, length));
        } finally {
            inflater.end();
        }
    }

    @Test
    void usedAfterReleaseFails() {
        PerMessageDeflate codec = codec(false);
        encode(codec, new byte[10]);
        codec.release();
        codec.release(); // twice is harmless
        assertThrows(IllegalStateException.class, () -> codec.encode(ByteBuffer.allocate(1), true));
        assertThrows(IllegalStateException.class,
                () -> codec.decode(MessageExtension.RSV1, ByteBuffer.allocate(1), true, decoded -> { }));
    }

    @Test
    void aWindowUnder15BitsIsHonouredByCompressingWithoutBackReferences() throws ProtocolException {
        // RFC 7692 §7.1.2: Deflater cannot limit its window; DEFLATE without distances fits any window.
        byte[] repetitive = "ab".repeat(5000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        MessageExtension fullWindow = new DeflateParameters(false, false, 15, 15)
                .newExtension(io.breakwater.protocol.Role.SERVER, DeflateConfig.DEFAULTS);
        MessageExtension smallWindow = new DeflateParameters(false, false, 9, 15)
                .newExtension(io.breakwater.protocol.Role.SERVER, DeflateConfig.DEFAULTS);
        MessageExtension receiver = new DeflateParameters(false, false, 9, 15)
                .newExtension(io.breakwater.protocol.Role.CLIENT, DeflateConfig.DEFAULTS);
        created.addAll(List.of(fullWindow, smallWindow, receiver));

        // With back-references the 10,000 bytes take a few dozen; Huffman codes alone need a bit a symbol,
        // and a second message gains nothing from the first (no reference into the previous one either).
        assertTrue(encode(fullWindow, repetitive).length < 100);
        byte[] first = encode(smallWindow, repetitive);
        byte[] second = encode(smallWindow, repetitive);
        assertTrue(first.length >= repetitive.length / 8, "first: " + first.length);
        assertTrue(second.length >= repetitive.length / 8, "second: " + second.length);
        assertArrayEquals(repetitive, decode(receiver, first));
        assertArrayEquals(repetitive, decode(receiver, second));
    }
}
