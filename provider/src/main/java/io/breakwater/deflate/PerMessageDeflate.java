package io.breakwater.deflate;

import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.ProtocolException;
import io.breakwater.protocol.Violation;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The permessage-deflate payload transformation (RFC 7692 §6 and §7.2) for one connection: a raw
 * DEFLATE stream (RFC 1951, no zlib header) in each direction, RSV1 marking compressed messages.
 *
 * <p>The zlib streams are created on first use and freed by {@link #release()}. Not thread-safe: the
 * connection calls it from one thread at a time.
 */
final class PerMessageDeflate implements MessageExtension {

    /** How many inflated bytes are handed to the sink at most at once. */
    static final int INFLATE_CHUNK = 16 * 1024;

    /**
     * §7.2.1: a sync flush ends with an empty stored block whose LEN/NLEN octets are 00 00 ff ff; the
     * sender removes them from the end of a message and the receiver puts them back (§7.2.2).
     */
    private static final byte[] FLUSH_TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};
    private static final byte[] NO_INPUT = new byte[0];

    private final int compressionLevel;
    /** Our side's no_context_takeover: reset the compressor after every message we send (§7.1.1). */
    private final boolean resetDeflaterPerMessage;
    /** The peer's no_context_takeover: it resets after every message, so we may too (§7.1.1). */
    private final boolean resetInflaterPerMessage;
    private final int compressionThreshold;
    /**
     * Our side may only use a window under 15 bits (§7.1.2), which {@link Deflater} cannot limit: we
     * then compress with Huffman codes alone, a DEFLATE stream without back-references (RFC 1951 §3.2.5
     * distances), which fits any window.
     */
    private final boolean literalsOnly;

    private Deflater deflater;
    private Inflater inflater;
    private ByteBuffer inflated;
    private boolean released;

    /** Whether peer bytes went into the inflater since this message began or its stream last ended. */
    private boolean inflatedSinceBoundary;
    /** Whether the peer ended its DEFLATE stream (a BFINAL block) within this message. */
    private boolean peerEndedStream;

    PerMessageDeflate(int compressionLevel, boolean resetDeflaterPerMessage, boolean resetInflaterPerMessage,
            int compressionThreshold) {
        this(compressionLevel, resetDeflaterPerMessage, resetInflaterPerMessage, compressionThreshold, false);
    }

    PerMessageDeflate(int compressionLevel, boolean resetDeflaterPerMessage, boolean resetInflaterPerMessage,
            int compressionThreshold, boolean literalsOnly) {
        this.compressionLevel = compressionLevel;
        this.resetDeflaterPerMessage = resetDeflaterPerMessage;
        this.resetInflaterPerMessage = resetInflaterPerMessage;
        this.compressionThreshold = compressionThreshold;
        this.literalsOnly = literalsOnly;
    }

    @Override
    public int reservedBits() {
        return RSV1; // §6: the "Per-Message Compressed" bit
    }

    // ---- outbound ---------------------------------------------------------------------------------

    @Override
    public int encodingFor(ByteBuffer firstPart, boolean endOfMessage) {
        // §6.1: compressing is optional per message; a small whole message may not be worth it.
        if (endOfMessage && firstPart.remaining() < compressionThreshold) {
            return 0;
        }
        return RSV1;
    }

    @Override
    public ByteBuffer encode(ByteBuffer part, boolean endOfMessage) {
        Deflater deflater = deflater();
        ByteBuffer input = part.duplicate(); // the deflater advances the position; the caller's part stays as it is
        deflater.setInput(input);
        ByteBuffer out = ByteBuffer.allocate(initialCapacity(input.remaining()));
        // Every part is sync-flushed so that its frame carries all of it (§7.2.1 allows any number of
        // flushes); the parts of one message still form one DEFLATE stream.
        while (true) {
            deflater.deflate(out, Deflater.SYNC_FLUSH);
            // Deflater's contract: a sync flush is complete once it leaves output space unused.
            if (out.hasRemaining() && deflater.needsInput()) {
                break;
            }
            if (!out.hasRemaining()) {
                out = grow(out);
            }
        }
        deflater.setInput(NO_INPUT); // keep no reference to the caller's buffer
        if (endOfMessage) {
            if (endsWithFlushTail(out)) {
                out.position(out.position() - FLUSH_TAIL.length); // §7.2.1
            } else if (out.position() == 0) {
                // zlib writes nothing for a sync flush with no new input right after another one (an
                // empty message after another message, or an empty last part). An empty payload would
                // not decode (§7.2.2 appends 00 00 ff ff, which alone is not a whole block), so we send
                // the one octet that starts an empty stored block: header bits BFINAL=0, BTYPE=00 and
                // padding (RFC 1951 §3.2.4). The stream is byte-aligned after the earlier flush, so the
                // receiver sees 00 | 00 00 ff ff, an empty block, and our deflater stays in step.
                out.put((byte) 0x00);
            }
            if (resetDeflaterPerMessage) {
                deflater.reset(); // §7.1.1: no context takeover, start the next message with an empty window
            }
        }
        return out.flip();
    }

    private static int initialCapacity(int inputLength) {
        // DEFLATE's worst case is the input in stored blocks, 5 octets of header per 64 KiB, plus the
        // flush; for large input start smaller, as most payloads compress, and grow if they do not.
        int bound = inputLength + (inputLength >>> 10) + 32;
        return inputLength <= 64 * 1024 ? bound : Math.max(64 * 1024, inputLength >>> 2);
    }

    private static ByteBuffer grow(ByteBuffer full) {
        int capacity = full.capacity();
        ByteBuffer bigger = ByteBuffer.allocate(capacity > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE - 8 : capacity * 2);
        full.flip();
        return bigger.put(full);
    }

    private static boolean endsWithFlushTail(ByteBuffer out) {
        int end = out.position();
        if (end < FLUSH_TAIL.length) {
            return false;
        }
        for (int i = 0; i < FLUSH_TAIL.length; i++) {
            if (out.get(end - FLUSH_TAIL.length + i) != FLUSH_TAIL[i]) {
                return false;
            }
        }
        return true;
    }

    private Deflater deflater() {
        checkNotReleased();
        if (deflater == null) {
            // nowrap: raw DEFLATE without the zlib header and checksum (§7.2.1)
            deflater = new Deflater(compressionLevel, true);
            if (literalsOnly) {
                deflater.setStrategy(Deflater.HUFFMAN_ONLY);
            }
        }
        return deflater;
    }

    // ---- inbound ----------------------------------------------------------------------------------

    @Override
    public void decode(int rsv, ByteBuffer payload, boolean endOfMessage, PayloadSink sink) throws ProtocolException {
        Inflater inflater = inflater();
        try {
            inflate(payload, false, sink);
            if (endOfMessage && inflatedSinceBoundary) {
                // §7.2.2: restore the 00 00 ff ff the sender removed. Skipped when nothing came since the
                // message began (an empty payload, which is not valid DEFLATE, is read as an empty
                // message) or since the peer's stream ended with a BFINAL block.
                inflate(ByteBuffer.wrap(FLUSH_TAIL), true, sink);
            }
            if (inflated.position() > 0) {
                emit(sink);
            }
        } catch (DataFormatException e) {
            throw new ProtocolException(Violation.INVALID_COMPRESSED_DATA,
                    "permessage-deflate payload cannot be inflated: " + e.getMessage(), e);
        } finally {
            inflater.setInput(NO_INPUT); // the payload is only valid during this call
        }
        if (endOfMessage) {
            if (resetInflaterPerMessage || peerEndedStream) {
                // §7.1.1: the peer starts its next message with an empty window, so we free ours; after a
                // BFINAL block (§7.2.3.4) the next message is a new DEFLATE stream in any case.
                inflater.reset();
            }
            inflatedSinceBoundary = false;
            peerEndedStream = false;
        }
    }

    /**
     * Inflates all of {@code input}, handing the output to the sink each time the output buffer fills.
     *
     * @param tail whether the input is the restored flush tail rather than peer bytes
     */
    private void inflate(ByteBuffer input, boolean tail, PayloadSink sink)
            throws DataFormatException, ProtocolException {
        Inflater inflater = this.inflater;
        ByteBuffer out = inflated;
        inflater.setInput(input);
        if (!tail && input.hasRemaining()) {
            inflatedSinceBoundary = true;
        }
        while (true) {
            if (!out.hasRemaining()) {
                emit(sink); // may throw the connection's size limit: the rest of a bomb is never inflated
            }
            int before = input.position();
            if (inflater.inflate(out) > 0) {
                continue;
            }
            if (inflater.finished()) {
                // §7.2.3.4: the peer ended its DEFLATE stream with a BFINAL block. What follows in this
                // message (typically one 0x00 octet that, with the restored tail, makes an empty stored
                // block) starts a new stream; the restored tail alone is dropped.
                peerEndedStream = true;
                inflater.reset();
                inflatedSinceBoundary = false;
                if (tail || !input.hasRemaining()) {
                    return;
                }
                inflater.setInput(input);
                inflatedSinceBoundary = true;
                continue;
            }
            if (inflater.needsInput()) {
                return; // every input byte consumed and every output byte produced
            }
            if (inflater.needsDictionary()) {
                throw new DataFormatException("stream asks for a preset dictionary");
            }
            if (input.position() == before) {
                throw new DataFormatException("inflater makes no progress");
            }
        }
    }

    private void emit(PayloadSink sink) throws ProtocolException {
        ByteBuffer out = inflated;
        out.flip();
        try {
            sink.accept(out);
        } finally {
            out.clear();
        }
    }

    private Inflater inflater() {
        checkNotReleased();
        if (inflater == null) {
            inflater = new Inflater(true); // raw DEFLATE (§7.2.2); a 15-bit window reads any smaller one
            inflated = ByteBuffer.allocate(INFLATE_CHUNK);
        }
        return inflater;
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    @Override
    public void release() {
        released = true;
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
        if (inflater != null) {
            inflater.end();
            inflater = null;
            inflated = null;
        }
    }

    private void checkNotReleased() {
        if (released) {
            throw new IllegalStateException("permessage-deflate already released");
        }
    }
}
