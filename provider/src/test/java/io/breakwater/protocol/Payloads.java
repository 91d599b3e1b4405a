package io.breakwater.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Test payloads, generated once per run and cut to size: random bytes, and UTF-8 text with 1- to 4-byte code points. */
final class Payloads {

    static final int MAX = 16 << 20;

    private static byte[] binary;
    private static byte[] text;

    private Payloads() {
    }

    /** {@code length} pseudo-random bytes (the same for every call). */
    static synchronized byte[] binary(int length) {
        if (binary == null) {
            binary = new byte[MAX];
            new SplittableRandom(0xB1A5L).nextBytes(binary);
        }
        return Arrays.copyOf(binary, length);
    }

    /** Exactly {@code length} bytes of well-formed UTF-8 mixing ASCII with 2-, 3- and 4-byte code points. */
    static synchronized byte[] text(int length) {
        if (text == null) {
            text = randomUtf8(new SplittableRandom(0x7E47L), MAX + 4);
        }
        byte[] cut = Arrays.copyOf(text, length);
        // A prefix may end inside a code point: replace that partial code point by ASCII.
        int start = length;
        while (start > 0 && (cut[start - 1] & 0xC0) == 0x80) {
            start--;
        }
        if (start > 0) {
            int lead = cut[start - 1] & 0xFF;
            int size = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
            if (start - 1 + size > length) {
                Arrays.fill(cut, start - 1, length, (byte) 'x');
            }
        }
        return cut;
    }

    /** About {@code length} bytes (at least that many) of random well-formed UTF-8. */
    static byte[] randomUtf8(SplittableRandom random, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 8);
        StringBuilder chunk = new StringBuilder();
        while (out.size() < length) {
            chunk.setLength(0);
            for (int i = 0; i < 256; i++) {
                chunk.appendCodePoint(randomCodePoint(random));
            }
            out.writeBytes(chunk.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** A code point, ASCII most of the time, with the boundaries of each UTF-8 length now and then. */
    static int randomCodePoint(SplittableRandom random) {
        int kind = random.nextInt(16);
        return switch (kind) {
            case 0 -> random.nextInt(0x80, 0x800);
            case 1 -> random.nextInt(0x800, 0xD800);
            case 2 -> random.nextInt(0xE000, 0x10000);
            case 3 -> random.nextInt(0x10000, 0x110000);
            case 4 -> new int[] {0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF, 0x3BA}
                    [random.nextInt(10)];
            default -> random.nextInt(0x20, 0x7F);
        };
    }
}
