package io.breakwater.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A fuzzer-chosen way to cut a byte stream into the buffers an adapter would hand the engine: the
 * piece lengths (cycled until the stream is used up; 0 is an empty buffer) and how each buffer is
 * made. The parsers promise that any split gives the same result, and they read buffers with absolute
 * indexes, so the buffers are deliberately awkward: a non-zero position, bytes around the window that
 * must not be read, little-endian order, direct or read-only.
 *
 * <p>Read from a {@link FuzzInput} as: one byte with the number of lengths (low four bits) and the
 * buffer style (high four bits), then that many length bytes.
 */
final class Chunking {

    private static final int DIRECT = 0x10;
    private static final int READ_ONLY = 0x20;
    private static final int LITTLE_ENDIAN = 0x40;
    private static final int OFFSET = 0x80;
    /** A value no parser accepts anywhere, around each window: reading it shows up as a wrong result. */
    private static final byte GUARD = (byte) 0xC1;

    private final int[] lengths;
    private final int style;

    private Chunking(int[] lengths, int style) {
        this.lengths = lengths;
        this.style = style;
    }

    static Chunking read(FuzzInput input) {
        int first = input.nextByte();
        int[] lengths = new int[first & 0x0F];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = input.nextByte();
        }
        return new Chunking(lengths, first & 0xF0);
    }

    /** The pieces of {@code data}, in order; together they are exactly {@code data}. */
    List<byte[]> split(byte[] data) {
        List<byte[]> pieces = new ArrayList<>();
        int at = 0;
        int next = 0;
        int emptyInARow = 0;
        while (at < data.length) {
            // No lengths, or only zeros, would never finish: fall back to one byte at a time.
            int length = lengths.length == 0 || emptyInARow >= lengths.length ? 1 : lengths[next++ % lengths.length];
            emptyInARow = length == 0 ? emptyInARow + 1 : 0;
            length = Math.min(length, data.length - at);
            byte[] piece = new byte[length];
            System.arraycopy(data, at, piece, 0, length);
            pieces.add(piece);
            at += length;
        }
        return pieces;
    }

    /** {@code piece} in a buffer of this chunking's style, positioned at the piece, limited at its end. */
    ByteBuffer wrap(byte[] piece) {
        int offset = (style & OFFSET) != 0 ? 3 : 0;
        int trailer = (style & OFFSET) != 0 ? 5 : 0;
        ByteBuffer buffer = (style & DIRECT) != 0
                ? ByteBuffer.allocateDirect(offset + piece.length + trailer)
                : ByteBuffer.allocate(offset + piece.length + trailer);
        while (buffer.position() < offset) {
            buffer.put(GUARD);
        }
        buffer.put(piece);
        while (buffer.hasRemaining()) {
            buffer.put(GUARD);
        }
        buffer.limit(offset + piece.length).position(offset);
        buffer.order((style & LITTLE_ENDIAN) != 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        return (style & READ_ONLY) != 0 ? buffer.asReadOnlyBuffer().order(buffer.order()) : buffer;
    }
}
