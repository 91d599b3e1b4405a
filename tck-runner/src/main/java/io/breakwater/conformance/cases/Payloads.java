package io.breakwater.conformance.cases;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Payloads for the cases, deterministic so that two runs send the same bytes. */
final class Payloads {
    private Payloads() {
    }

    static byte[] repeat(char c, int length) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) c);
        return out;
    }

    static byte[] repeat(int b, int length) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) b);
        return out;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** Random bytes: incompressible. */
    static byte[] random(int length, long seed) {
        byte[] out = new byte[length];
        new Random(seed).nextBytes(out);
        return out;
    }

    /** JSON-like text: compresses well, as real traffic does. */
    static byte[] json(int length, long seed) {
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder(length + 64);
        while (out.length() < length) {
            out.append("{\"id\":").append(random.nextInt(100000)).append(",\"name\":\"user")
                    .append(random.nextInt(1000)).append("\",\"active\":").append(random.nextBoolean())
                    .append(",\"score\":").append(random.nextInt(100)).append('}');
        }
        return Arrays.copyOf(out.toString().getBytes(StandardCharsets.US_ASCII), length);
    }

    /** Text from a small alphabet, multi-byte characters included, cut on a character boundary. */
    static byte[] words(int length, long seed) {
        String[] words = {"breakwater", "κόσμε", "wave", "tide", "Möwe", "海", "harbour", "🌊", "pier", "sea"};
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder();
        while (out.toString().getBytes(StandardCharsets.UTF_8).length < length) {
            for (int i = 0; i < 64; i++) {
                out.append(words[random.nextInt(words.length)]).append(' ');
            }
        }
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        int end = length;
        while (end > 0 && end < bytes.length && (bytes[end] & 0xc0) == 0x80) {
            end--; // do not cut a character
        }
        return Arrays.copyOf(bytes, end);
    }

    /** Binary with structure: a counter pattern that LZ77 finds matches in. */
    static byte[] pattern(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) ((i % 251) ^ (i / 251 % 7));
        }
        return out;
    }
}
