package io.breakwater.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Utf8Validator} against the JDK's strict UTF-8 decoder, whole and streamed in random pieces. */
@DisplayName("6 UTF-8 validator")
class Utf8ValidatorTest {

    private static final int[] INTERESTING = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
            0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFB, 0xFC, 0xFE, 0xFF};

    @Test
    void agreesWithCharsetDecoderOnRandomInput() {
        long seed = 0x5EED_0006L;
        SplittableRandom random = new SplittableRandom(seed);
        int valid = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = randomBytes(random);
            boolean expected = jdkAccepts(bytes);
            if (expected) {
                valid++;
            }
            int n = i;
            assertEquals(expected, Utf8Validator.isValid(ByteBuffer.wrap(bytes)),
                    () -> "seed " + seed + ", array " + n + ": " + Hex.of(bytes));

            // The same bytes in random pieces, from heap and direct buffers at odd offsets.
            Utf8Validator validator = new Utf8Validator();
            boolean accepted = true;
            for (int at = 0; at < bytes.length && accepted; ) {
                int length = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 4 : 40));
                ByteBuffer piece = piece(random, bytes, at, length);
                int position = piece.position();
                int limit = piece.limit();
                accepted = validator.accept(piece);
                assertEquals(position, piece.position(), "accept leaves the position alone");
                assertEquals(limit, piece.limit(), "accept leaves the limit alone");
                at += length;
            }
            boolean streamed = accepted && validator.isComplete();
            assertEquals(expected, streamed, () -> "streamed, seed " + seed + ", array " + n + ": " + Hex.of(bytes));
        }
        // The generator must produce both outcomes in quantity, or the comparison says little.
        assertTrue(valid > 4_000 && valid < 16_000, "valid arrays: " + valid);
    }

    /** Every code point, encoded by the JDK, is accepted; every 2- and 3-byte string the JDK rejects is rejected. */
    @Test
    void exhaustiveShortSequences() {
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            if (!Utf8Validator.isValid(ByteBuffer.wrap(bytes))) {
                throw new AssertionError("U+" + Integer.toHexString(cp) + " rejected");
            }
        }
        byte[] pair = new byte[2];
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                pair[0] = (byte) a;
                pair[1] = (byte) b;
                assertEquals(jdkAccepts(pair), Utf8Validator.isValid(ByteBuffer.wrap(pair)), Hex.of(pair));
            }
        }
        byte[] triple = new byte[3];
        for (int a = 0xC0; a < 256; a++) {
            for (int b = 0x70; b < 0xD0; b++) {
                for (int c = 0x70; c < 0xD0; c++) {
                    triple[0] = (byte) a;
                    triple[1] = (byte) b;
                    triple[2] = (byte) c;
                    if (jdkAccepts(triple) != Utf8Validator.isValid(ByteBuffer.wrap(triple))) {
                        throw new AssertionError("disagreement on " + Hex.of(triple));
                    }
                }
            }
        }
    }

    @Test
    void completenessAndReset() {
        Utf8Validator validator = new Utf8Validator();
        assertTrue(validator.isComplete());
        assertTrue(validator.accept(ByteBuffer.wrap(Hex.parse("e2 82"))));
        assertFalse(validator.isComplete(), "two bytes of a three-byte code point");
        assertTrue(validator.accept(ByteBuffer.wrap(Hex.parse("ac"))));
        assertTrue(validator.isComplete(), "€ complete");
        assertTrue(validator.accept(ByteBuffer.wrap(Hex.parse("f0"))));
        validator.reset();
        assertTrue(validator.isComplete());
        assertTrue(validator.accept(ByteBuffer.wrap("a".getBytes())), "after reset, the pending lead is forgotten");
        assertTrue(validator.accept(ByteBuffer.wrap(Hex.parse("e0"))));
        assertFalse(validator.accept(ByteBuffer.wrap(Hex.parse("9f"))), "E0 9F is an overlong form");
    }

    /** ASCII runs longer than the 8-byte fast path, with the bad byte at every offset around it. */
    @Test
    void badByteAtEveryOffsetOfALongAsciiRun() {
        for (int length = 1; length < 40; length++) {
            for (int bad = 0; bad < length; bad++) {
                byte[] bytes = new byte[length];
                java.util.Arrays.fill(bytes, (byte) 'a');
                bytes[bad] = (byte) 0x80;
                assertFalse(Utf8Validator.isValid(ByteBuffer.wrap(bytes)), "length " + length + ", bad at " + bad);
                ByteBuffer direct = ByteBuffer.allocateDirect(length + 3).position(3);
                direct.put(bytes).position(3);
                assertFalse(Utf8Validator.isValid(direct), "direct, length " + length + ", bad at " + bad);
                bytes[bad] = 'b';
                assertTrue(Utf8Validator.isValid(ByteBuffer.wrap(bytes)));
            }
        }
    }

    static boolean jdkAccepts(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static ByteBuffer piece(SplittableRandom random, byte[] bytes, int at, int length) {
        switch (random.nextInt(3)) {
            case 0:
                return ByteBuffer.wrap(bytes, at, length);
            case 1: {
                ByteBuffer direct = ByteBuffer.allocateDirect(length + 5);
                direct.position(5).put(bytes, at, length).position(5);
                return direct;
            }
            default:
                return ByteBuffer.wrap(bytes).position(at).slice().limit(length);
        }
    }

    /** Mixed ASCII runs, well-formed code points, interesting single bytes and truncated sequences. */
    static byte[] randomBytes(SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parts = random.nextInt(1, 12);
        boolean clean = random.nextInt(3) == 0;
        for (int p = 0; p < parts; p++) {
            int kind = random.nextInt(clean ? 3 : 6);
            switch (kind) {
                case 0 -> {
                    int run = random.nextInt(random.nextBoolean() ? 4 : 30);
                    for (int i = 0; i < run; i++) {
                        out.write(random.nextInt(0x20, 0x7F));
                    }
                }
                case 1, 2 -> out.writeBytes(new String(Character.toChars(Payloads.randomCodePoint(random)))
                        .getBytes(StandardCharsets.UTF_8));
                case 3 -> out.write(INTERESTING[random.nextInt(INTERESTING.length)]);
                case 4 -> {
                    // A multi-byte code point cut short.
                    int cp = random.nextInt(0x80, 0x110000);
                    if (cp >= 0xD800 && cp <= 0xDFFF) {
                        cp -= 0x800;
                    }
                    byte[] encoded = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                    out.write(encoded, 0, random.nextInt(1, encoded.length));
                }
                default -> out.write(random.nextInt(256));
            }
        }
        return out.toByteArray();
    }
}
