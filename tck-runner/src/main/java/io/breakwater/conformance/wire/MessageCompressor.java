package io.breakwater.conformance.wire;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * One direction of permessage-deflate payload transformation (RFC 7692 §7.2) on java.util.zip,
 * independent of the implementation under test.
 */
public final class MessageCompressor {
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    /** A peer's message inflating to more than this is reported rather than buffered. */
    private static final int MAX_INFLATED = 64 << 20;

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final Inflater inflater = new Inflater(true);
    private final int sendWindowBits;
    private final int receiveWindowBits;
    private final boolean sendNoContextTakeover;
    private final boolean receiveNoContextTakeover;

    /**
     * @param sendWindowBits the window our compressed data may refer back to (§7.1.2)
     * @param receiveWindowBits the window the peer agreed to keep to
     * @param sendNoContextTakeover whether we compress every message on its own (§7.1.1)
     * @param receiveNoContextTakeover whether the peer agreed to compress every message on its own
     */
    public MessageCompressor(int sendWindowBits, int receiveWindowBits, boolean sendNoContextTakeover,
                             boolean receiveNoContextTakeover) {
        this.sendWindowBits = sendWindowBits;
        this.receiveWindowBits = receiveWindowBits;
        this.sendNoContextTakeover = sendNoContextTakeover;
        this.receiveNoContextTakeover = receiveNoContextTakeover;
    }

    /** §7.2.1: deflate, flush to a byte boundary, drop the final 00 00 ff ff. */
    public byte[] compress(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 16);
        byte[] buffer = new byte[8192];
        if (sendWindowBits >= DeflateParameters.MAX_WINDOW_BITS) {
            deflate(message, 0, message.length, Deflater.SYNC_FLUSH, buffer, out);
        } else {
            // java.util.zip cannot shrink its 32 KiB window. A full flush forgets the history, so
            // feeding at most one window of input between full flushes keeps every back reference
            // within it (distances < 2^bits, §7.1.2.1 / §7.1.2.2), while still compressing.
            int chunk = 1 << sendWindowBits;
            int at = 0;
            do {
                int length = Math.min(chunk, message.length - at);
                deflate(message, at, length, Deflater.FULL_FLUSH, buffer, out);
                at += length;
            } while (at < message.length);
        }
        if (sendNoContextTakeover) {
            deflater.reset();
        }
        byte[] compressed = out.toByteArray();
        int length = compressed.length;
        if (length >= 4 && compressed[length - 4] == 0 && compressed[length - 3] == 0
                && compressed[length - 2] == (byte) 0xff && compressed[length - 1] == (byte) 0xff) {
            length -= 4;
        }
        return java.util.Arrays.copyOf(compressed, length);
    }

    private void deflate(byte[] data, int offset, int length, int flush, byte[] buffer, ByteArrayOutputStream out) {
        deflater.setInput(data, offset, length);
        int produced;
        do {
            produced = deflater.deflate(buffer, 0, buffer.length, flush);
            out.write(buffer, 0, produced);
        } while (produced == buffer.length || !deflater.needsInput());
    }

    /** §7.2.2: append 00 00 ff ff and inflate; a back reference beyond the agreed window is a violation. */
    public byte[] decompress(byte[] payload) throws WireViolation {
        if (receiveWindowBits < DeflateParameters.MAX_WINDOW_BITS) {
            int distance = DeflateDistances.longestDistance(payload);
            if (distance > 1 << receiveWindowBits) {
                throw new WireViolation("compressed data refers back " + distance + " octets, beyond the agreed "
                        + "window of 2^" + receiveWindowBits + " (RFC 7692 §7.1.2)");
            }
        }
        byte[] input = java.util.Arrays.copyOf(payload, payload.length + 4);
        System.arraycopy(TAIL, 0, input, payload.length, 4);
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length * 3 + 16);
        byte[] buffer = new byte[16384];
        try {
            while (!inflater.needsInput() && !inflater.finished()) {
                int produced = inflater.inflate(buffer);
                out.write(buffer, 0, produced);
                if (out.size() > MAX_INFLATED) {
                    throw new WireViolation("compressed message inflates to more than " + MAX_INFLATED + " bytes");
                }
                if (produced == 0 && inflater.needsDictionary()) {
                    throw new WireViolation("compressed data asks for a preset dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw new WireViolation("compressed payload is not valid DEFLATE data (RFC 7692 §7.2.2): " + e.getMessage());
        }
        if (inflater.finished()) {
            // A block with BFINAL set ends the stream; the next message needs a fresh one (§7.2.3.3 allows it).
            inflater.reset();
        } else if (receiveNoContextTakeover) {
            inflater.reset();
        }
        return out.toByteArray();
    }

    public void release() {
        deflater.end();
        inflater.end();
    }
}
