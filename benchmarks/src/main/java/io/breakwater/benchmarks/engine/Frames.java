package io.breakwater.benchmarks.engine;

import java.io.ByteArrayOutputStream;

/**
 * Encodes frames as a client puts them on the wire (RFC 6455 §5.2), independently of the engine's
 * writer, to build the input of the receiving benchmarks and the load generator's frames.
 */
public final class Frames {

    public static final int FIN = 0x80;
    public static final int RSV1 = 0x40;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;

    private Frames() {
    }

    /** Appends one masked frame: {@code firstByte} is FIN, RSV and opcode; {@code maskKey} first byte most significant. */
    public static void appendMasked(ByteArrayOutputStream out, int firstByte, byte[] payload, int maskKey) {
        int length = payload.length;
        out.write(firstByte);
        if (length <= 125) {
            out.write(0x80 | length);
        } else if (length <= 0xFFFF) {
            out.write(0x80 | 126);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >>> shift));
            }
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write(maskKey >>> shift);
        }
        for (int i = 0; i < length; i++) {
            out.write(payload[i] ^ (maskKey >>> (24 - 8 * (i & 3))));
        }
    }
}
