package io.breakwater.conformance.wire;

/** Hex for wire logs, cut after a limit so that a 16 MiB payload does not become a 32 MiB report. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    public static String of(byte[] bytes, int limit) {
        return of(bytes, 0, bytes.length, limit);
    }

    public static String of(byte[] bytes, int offset, int length, int limit) {
        int shown = Math.min(length, limit);
        StringBuilder out = new StringBuilder(shown * 2 + 24);
        out.append("0x");
        for (int i = 0; i < shown; i++) {
            int b = bytes[offset + i] & 0xff;
            out.append(DIGITS[b >>> 4]).append(DIGITS[b & 0xf]);
        }
        if (shown < length) {
            out.append(" ... (").append(length).append(" bytes)");
        }
        return out.toString();
    }
}
