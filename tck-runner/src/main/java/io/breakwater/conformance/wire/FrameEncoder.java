package io.breakwater.conformance.wire;

/** Frames to bytes (RFC 6455 §5.2), written from the RFC for this suite alone. */
public final class FrameEncoder {
    private FrameEncoder() {
    }

    /** The frame's bytes; masked with {@code frame.mask()} when it has one (§5.3). */
    public static byte[] encode(Frame frame) {
        byte[] payload = frame.payload();
        int length = payload.length;
        // §5.2: 7-bit length up to 125, 126 + 16 bits up to 65535, else 127 + 64 bits; minimal form.
        int lengthBytes = length <= 125 ? 0 : length <= 0xffff ? 2 : 8;
        int maskBytes = frame.mask() == null ? 0 : 4;
        byte[] out = new byte[2 + lengthBytes + maskBytes + length];
        out[0] = (byte) ((frame.fin() ? 0x80 : 0) | (frame.rsv() & 0x7) << 4 | frame.opcode() & 0xf);
        int maskBit = maskBytes == 0 ? 0 : 0x80;
        int at = 2;
        if (lengthBytes == 0) {
            out[1] = (byte) (maskBit | length);
        } else if (lengthBytes == 2) {
            out[1] = (byte) (maskBit | 126);
            out[at++] = (byte) (length >>> 8);
            out[at++] = (byte) length;
        } else {
            out[1] = (byte) (maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[at++] = (byte) ((long) length >>> shift);
            }
        }
        if (maskBytes != 0) {
            System.arraycopy(frame.mask(), 0, out, at, 4);
            at += 4;
        }
        for (int i = 0; i < length; i++) {
            out[at + i] = maskBytes == 0 ? payload[i] : (byte) (payload[i] ^ frame.mask()[i & 3]);
        }
        return out;
    }
}
