package io.breakwater.conformance.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The suite's own codec against the examples in RFC 6455 and RFC 7692, so that the yardstick is right. */
class WireCodecTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void acceptKeyOfRfc6455Section1_3() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", HandshakeKeys.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void framesOfRfc6455Section5_7() throws Exception {
        byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
        byte[] unmasked = bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);
        byte[] masked = bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);
        assertArrayEquals(unmasked, FrameEncoder.encode(Frame.of(Opcode.TEXT, hello)));
        assertArrayEquals(masked, FrameEncoder.encode(Frame.of(Opcode.TEXT, hello).withMask(bytes(0x37, 0xfa, 0x21, 0x3d))));
        Frame decoded = new FrameDecoder(new ByteArrayInputStream(masked)).next();
        assertArrayEquals(hello, decoded.payload());
        assertArrayEquals(bytes(0x37, 0xfa, 0x21, 0x3d), decoded.mask());
        byte[] fragments = bytes(0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f);
        FrameDecoder decoder = new FrameDecoder(new ByteArrayInputStream(fragments));
        Frame first = decoder.next();
        Frame second = decoder.next();
        assertEquals(false, first.fin());
        assertEquals(Opcode.CONTINUATION, second.opcode());
        assertEquals(null, decoder.next());
        byte[] header256 = FrameEncoder.encode(Frame.of(Opcode.BINARY, new byte[256]));
        assertArrayEquals(bytes(0x82, 0x7e, 0x01, 0x00), java.util.Arrays.copyOf(header256, 4));
        byte[] header64k = FrameEncoder.encode(Frame.of(Opcode.BINARY, new byte[65536]));
        assertArrayEquals(bytes(0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0), java.util.Arrays.copyOf(header64k, 10));
    }

    @Test
    void a64BitLengthWithTheTopBitSetIsAViolation() {
        byte[] frame = bytes(0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 1);
        assertThrows(WireViolation.class, () -> new FrameDecoder(new ByteArrayInputStream(frame)).next());
    }

    @Test
    void compressedPayloadsOfRfc7692Section7_2_3() throws Exception {
        MessageCompressor receiver = new MessageCompressor(15, 15, false, false);
        // §7.2.3.1 "Hello" in one compressed block; §7.2.3.2 the same again, using the context.
        assertEquals("Hello", new String(receiver.decompress(bytes(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00)),
                StandardCharsets.US_ASCII));
        assertEquals("Hello", new String(receiver.decompress(bytes(0xf2, 0x00, 0x11, 0x00, 0x00)),
                StandardCharsets.US_ASCII));
        // §7.2.3.3 "Hello" in a stored (uncompressed) block.
        MessageCompressor fresh = new MessageCompressor(15, 15, false, false);
        assertEquals("Hello", new String(fresh.decompress(bytes(0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c,
                0x6f, 0x00)), StandardCharsets.US_ASCII));
    }

    @Test
    void compressionRoundTripsForEveryWindowAndTakeover() throws Exception {
        byte[] text = "breakwater wave tide harbour κόσμε ".repeat(2000).getBytes(StandardCharsets.UTF_8);
        for (int window = 8; window <= 15; window++) {
            for (boolean noContextTakeover : new boolean[] {false, true}) {
                MessageCompressor sender = new MessageCompressor(window, 15, noContextTakeover, false);
                MessageCompressor receiver = new MessageCompressor(15, window, false, noContextTakeover);
                for (int message = 0; message < 3; message++) {
                    byte[] compressed = sender.compress(text);
                    assertArrayEquals(text, receiver.decompress(compressed), "window " + window);
                    int distance = DeflateDistances.longestDistance(compressed);
                    assertTrue(distance > 0 && distance <= 1 << window, "window " + window + ": " + distance);
                    assertEquals(true, compressed.length < text.length / 2, "compresses with window " + window);
                }
            }
        }
    }

    @Test
    void backReferencesBeyondTheAgreedWindowAreFound() throws Exception {
        // §7.2.3.2: the second "Hello" refers back 5 octets, into the first message.
        assertEquals(5, DeflateDistances.longestDistance(bytes(0xf2, 0x00, 0x11, 0x00, 0x00)));
        assertEquals(0, DeflateDistances.longestDistance(bytes(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00)));
        // A 32 KiB window repeats 1000 random octets 1000 octets later: a peer that agreed to 2^9 broke its word.
        byte[] block = new byte[1000];
        new java.util.Random(7).nextBytes(block);
        byte[] repeated = new byte[2000];
        System.arraycopy(block, 0, repeated, 0, 1000);
        System.arraycopy(block, 0, repeated, 1000, 1000);
        byte[] wideWindow = new MessageCompressor(15, 15, false, false).compress(repeated);
        assertEquals(1000, DeflateDistances.longestDistance(wideWindow));
        WireViolation violation = assertThrows(WireViolation.class,
                () -> new MessageCompressor(15, 9, false, false).decompress(wideWindow));
        assertTrue(violation.getMessage().contains("beyond the agreed window of 2^9"), violation.getMessage());
        assertThrows(WireViolation.class, () -> DeflateDistances.longestDistance(bytes(0xff, 0xff)));
    }

    @Test
    void deflateParametersFollowRfc7692Section7() {
        DeflateParameters offer = DeflateParameters.parse(
                "permessage-deflate; client_max_window_bits; server_max_window_bits=10", true);
        assertEquals(DeflateParameters.NO_VALUE, offer.clientMaxWindowBits());
        assertEquals(true, offer.acceptedBy(DeflateParameters.parse("permessage-deflate; server_max_window_bits=10; "
                + "client_max_window_bits=9", false)));
        // §7.1.2.1: an offered server_max_window_bits must be answered with one no larger.
        assertEquals(false, offer.acceptedBy(DeflateParameters.parse("permessage-deflate", false)));
        assertEquals(false, offer.acceptedBy(DeflateParameters.parse("permessage-deflate; server_max_window_bits=11",
                false)));
        // §7.1.2.2: client_max_window_bits only when offered.
        assertEquals(false, DeflateParameters.NONE.acceptedBy(DeflateParameters.parse(
                "permessage-deflate; client_max_window_bits=15", false)));
        assertThrows(IllegalArgumentException.class, () -> DeflateParameters.parse("permessage-deflate; "
                + "server_max_window_bits=7", false));
        assertThrows(IllegalArgumentException.class, () -> DeflateParameters.parse("permessage-deflate; "
                + "client_max_window_bits", false));
        assertThrows(IllegalArgumentException.class, () -> DeflateParameters.parse("permessage-deflate; "
                + "server_no_context_takeover; server_no_context_takeover", true));
        assertThrows(IllegalArgumentException.class, () -> DeflateParameters.parse("permessage-deflate; foo", true));
    }
}
