package io.breakwater.conformance.wire;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads frames from a stream (RFC 6455 §5.2). It checks only what it must to read on; every rule
 * about what the peer may send is checked by the caller, which records the violation.
 */
public final class FrameDecoder {
    /** Larger than any frame a case provokes; a peer announcing more is reported, not buffered. */
    static final long MAX_PAYLOAD = 64L << 20;

    private final DataInputStream in;

    public FrameDecoder(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** The next frame, or null at a clean end of the stream before a frame began. */
    public Frame next() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
            if (length < 0) {
                // §5.2: the most significant bit of a 64-bit length must be 0.
                throw new WireViolation("64-bit payload length with the most significant bit set");
            }
        }
        if (length > MAX_PAYLOAD) {
            throw new WireViolation("payload length " + length + " beyond what any case expects");
        }
        byte[] mask = null;
        if ((second & 0x80) != 0) {
            mask = new byte[4];
            in.readFully(mask);
        }
        byte[] payload = new byte[(int) length];
        try {
            in.readFully(payload);
        } catch (EOFException e) {
            throw new EOFException("connection ended inside a frame");
        }
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        return new Frame((first & 0x80) != 0, (first >>> 4) & 0x7, first & 0xf, payload, mask);
    }
}
