package io.breakwater.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the pieces of one whole message in chunks and hands the message over with one copy at the
 * end, or none when it came in one piece. The pieces are views of the engine's read buffer, valid only
 * during the call, so their bytes are copied in; the engine has already checked the message against
 * the session's buffer size (1009 beyond it, RFC 6455 §7.4.1) and, for text, that it is UTF-8.
 *
 * <p>What it costs: doubling one array as the message grows would allocate about twice the message on
 * its way and copy it again to trim it, so a message refused at a limit L (or a permessage-deflate bomb
 * inflated up to it) would cost about 2L. Chunks are never copied while the message grows, and each new
 * one is a quarter of what has arrived, at least {@link #MIN_CHUNK} and at most {@link #MAX_CHUNK} (or
 * the rest of the piece, when that is larger: it fills its chunk). The unfilled end of the last chunk,
 * all that is allocated beyond the bytes received, is then at most a quarter of them (or 4 KiB) and
 * never over 1 MiB: a message refused at L has cost about L, and one delivered about 2L. A
 * quarter keeps the number of chunks logarithmic below the cap (about 30 for the first 4 MiB), and at
 * the cap a 32 MiB message is about 60 chunks, so the list and the final copy's loop cost next to
 * nothing; the floor keeps a peer writing 1-byte frames from costing an object per byte. A message that
 * arrives in one piece (most do) sizes the first chunk exactly and is handed over as that chunk.
 *
 * <p>Not thread-safe: one message's pieces come from the reading thread, one at a time.
 */
final class MessageChunks {

    /** The least a chunk after the first takes: tiny pieces share chunks of this size. */
    static final int MIN_CHUNK = 4 * 1024;
    /** The most a chunk takes, unless one piece is larger: bounds what is allocated ahead of the bytes. */
    static final int MAX_CHUNK = 1024 * 1024;

    private static final byte[] EMPTY = new byte[0];

    /** The chunks before {@link #current}, each full. */
    private List<byte[]> filled = List.of();
    /** The chunk being filled; null before the first byte. */
    private byte[] current;
    /** How much of {@link #current} is filled. */
    private int used;
    /** All the bytes collected. */
    private int length;

    /** Copies the piece's remaining bytes in; the piece's position does not move. */
    void add(ByteBuffer piece) {
        int offset = piece.position();
        int remaining = piece.remaining();
        while (remaining > 0) {
            if (current == null || used == current.length) {
                startChunk(remaining);
            }
            int count = Math.min(remaining, current.length - used);
            piece.get(offset, current, used, count);
            offset += count;
            remaining -= count;
            used += count;
            length += count;
        }
    }

    /** The number of bytes collected. */
    int length() {
        return length;
    }

    /**
     * Hands over the message in an array of exactly its length, and forgets it, so that the chunks can be
     * collected while the caller goes on (e.g. decodes it): a message is taken once. Decoders read
     * {@code ByteBuffer.array()} whole (the TCK's among them), so a buffer over part of a larger array
     * would hand them stale bytes; a message that came in one chunk is that chunk, uncopied.
     */
    byte[] takeBytes() {
        byte[] message;
        if (current == null) {
            message = EMPTY;
        } else if (filled.isEmpty() && used == current.length) {
            message = current;
        } else {
            message = new byte[length];
            int at = 0;
            for (byte[] chunk : filled) {
                System.arraycopy(chunk, 0, message, at, chunk.length);
                at += chunk.length;
            }
            System.arraycopy(current, 0, message, at, used);
        }
        forget();
        return message;
    }

    /**
     * Hands over the message as text, and forgets it. One chunk is decoded as it is; more are first copied
     * into one array, and the chunks are let go before the String is made, so that at most about twice
     * the message is held at any moment (the chunks and the array, then the array and the String).
     */
    String takeText() {
        if (filled.isEmpty() && current != null) {
            String text = new String(current, 0, used, StandardCharsets.UTF_8);
            forget();
            return text;
        }
        return new String(takeBytes(), StandardCharsets.UTF_8);
    }

    private void startChunk(int pieceLeft) {
        int size;
        if (current == null) {
            size = pieceLeft; // the first piece sizes the first chunk exactly: most messages come in one
        } else {
            if (filled.isEmpty()) {
                filled = new ArrayList<>();
            }
            filled.add(current);
            // The rest of a larger piece goes in a chunk of its size: it is all here, nothing is allocated ahead.
            size = Math.max(pieceLeft, Math.min(Math.max(length / 4, MIN_CHUNK), MAX_CHUNK));
        }
        current = new byte[size];
        used = 0;
    }

    private void forget() {
        filled = List.of();
        current = null;
        used = 0;
        length = 0;
    }
}
