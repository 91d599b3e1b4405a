package io.breakwater.benchmarks.engine;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * RFC 7692 message compression with nothing but {@link Deflater} and {@link Inflater}: raw DEFLATE
 * ({@code nowrap}), one compressor and one decompressor per direction kept across messages (context
 * takeover), each message ended with a sync flush whose empty stored block {@code 00 00 ff ff} is
 * stripped on the wire and appended again before inflating (RFC 7692 §7.2.1, §7.2.2). The baseline the
 * Breakwater permessage-deflate layer is measured against.
 */
public final class RawDeflate {

    /** The tail of a sync flush, stripped from every compressed message. */
    public static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    private RawDeflate() {
    }

    public static Deflater newDeflater(int level) {
        return new Deflater(level, true);
    }

    public static Inflater newInflater() {
        return new Inflater(true);
    }

    /**
     * Compresses one whole message into {@code out}, which must hold at least {@link #bound} bytes, and
     * returns the length of the wire payload (the sync-flush tail removed).
     */
    public static int compress(Deflater deflater, byte[] message, byte[] out) {
        deflater.setInput(message);
        int length = 0;
        int space;
        int written;
        do {
            // A sync flush is complete once a call leaves some of the space it was given unused.
            space = out.length - length;
            if (space == 0) {
                throw new IllegalStateException("the compressed message does not fit " + out.length + " bytes");
            }
            written = deflater.deflate(out, length, space, Deflater.SYNC_FLUSH);
            length += written;
        } while (written == space);
        if (length < 4 || out[length - 4] != 0 || out[length - 3] != 0
                || out[length - 2] != (byte) 0xFF || out[length - 1] != (byte) 0xFF) {
            throw new IllegalStateException("a sync flush did not end with 00 00 ff ff");
        }
        return length - 4;
    }

    /** Room enough for a compressed message, the stored-block worst case included. */
    public static int bound(int messageLength) {
        return messageLength + messageLength / 8 + 64;
    }

    /**
     * Decompresses one wire payload, {@code payload[0, length)}, into {@code out} (large enough for the
     * message) and returns the message's length.
     */
    public static int decompress(Inflater inflater, byte[] payload, int length, byte[] out) throws DataFormatException {
        inflater.setInput(payload, 0, length);
        int produced = inflate(inflater, out, 0);
        inflater.setInput(TAIL);
        return inflate(inflater, out, produced);
    }

    private static int inflate(Inflater inflater, byte[] out, int from) throws DataFormatException {
        int at = from;
        while (!inflater.needsInput()) {
            if (at == out.length) {
                throw new IllegalStateException("the message does not fit " + out.length + " bytes");
            }
            at += inflater.inflate(out, at, out.length - at);
        }
        return at;
    }
}
