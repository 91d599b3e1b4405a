package io.breakwater.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Splits a byte stream into frames (RFC 6455 §5.2): reads headers, unmasks payloads in place, and
 * hands each payload on in the pieces it arrives in, without buffering it. Any split of the input
 * gives the same frames, one byte at a time included.
 *
 * <p>It enforces the rules a single frame header can break; rules about sequences of frames are the
 * {@link FrameHandler}'s.
 */
final class FrameParser {

    /** Receives the frames the parser reads. */
    interface FrameHandler {
        void onFrameHeader(int opcode, boolean fin, int rsv, long payloadLength) throws ProtocolException;

        /**
         * Receives payload bytes, already unmasked, between the buffer's position and limit; the buffer
         * is the parser's input and is valid only during the call. Called once with no bytes for an
         * empty frame.
         *
         * @param frameEnd whether these are the last bytes of the frame
         */
        void onPayload(ByteBuffer payload, boolean frameEnd) throws ProtocolException;
    }

    private static final int MAX_HEADER_LENGTH = 14;
    private static final int MAX_CONTROL_PAYLOAD = 125;

    private final Role role;
    private final FrameHandler handler;
    private int extensionBits;
    private long maxFrameSize = Long.MAX_VALUE;

    /** Header bytes kept between calls when a header arrives in pieces. */
    private final byte[] partialHeader = new byte[MAX_HEADER_LENGTH];
    private final ByteBuffer partialHeaderView = ByteBuffer.wrap(partialHeader);
    private int partialHeaderLength;

    private boolean stopped;
    private boolean inPayload;
    private long payloadRemaining;
    private long payloadOffset;
    private boolean masked;
    private int maskKey;

    FrameParser(Role role, FrameHandler handler) {
        this.role = role;
        this.handler = handler;
    }

    /** The RSV bits a negotiated extension gives meaning to; any other set bit fails the frame. */
    void setExtensionBits(int extensionBits) {
        this.extensionBits = extensionBits;
    }

    void setMaxFrameSize(long maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /** Makes the parser skip all further input, from the current call on: nothing follows a close. */
    void stop() {
        stopped = true;
    }

    /** Consumes all of {@code input}; payload bytes are unmasked in place, so it must be writable. */
    void parse(ByteBuffer input) throws ProtocolException {
        while (true) {
            if (stopped) {
                input.position(input.limit());
                return;
            }
            if (!inPayload) {
                if (!readHeader(input)) {
                    return;
                }
                if (payloadRemaining == 0) {
                    deliver(input, input.position(), true);
                    continue;
                }
            }
            int available = input.remaining();
            if (available == 0) {
                return;
            }
            int start = input.position();
            int count = (int) Math.min(available, payloadRemaining);
            if (masked) {
                Masking.mask(input, start, start + count, maskKey, payloadOffset);
            }
            payloadOffset += count;
            payloadRemaining -= count;
            deliver(input, start + count, payloadRemaining == 0);
        }
    }

    /** Hands {@code input[position, end)} to the handler, then moves past it. */
    private void deliver(ByteBuffer input, int end, boolean frameEnd) throws ProtocolException {
        int limit = input.limit();
        input.limit(end);
        try {
            handler.onPayload(input, frameEnd);
        } finally {
            input.limit(limit).position(end);
        }
        if (frameEnd) {
            inPayload = false;
        }
    }

    /** Reads a whole header, from the input directly when it is all there. */
    private boolean readHeader(ByteBuffer input) throws ProtocolException {
        if (partialHeaderLength == 0 && input.remaining() >= 2) {
            int at = input.position();
            int length = headerLength(input.get(at), input.get(at + 1));
            if (input.remaining() >= length) {
                decodeHeader(input, at);
                input.position(at + length);
                return true;
            }
        }
        return readPartialHeader(input);
    }

    private boolean readPartialHeader(ByteBuffer input) throws ProtocolException {
        while (input.hasRemaining()) {
            partialHeader[partialHeaderLength++] = input.get();
            if (partialHeaderLength >= 2
                    && partialHeaderLength == headerLength(partialHeader[0], partialHeader[1])) {
                decodeHeader(partialHeaderView, 0);
                partialHeaderLength = 0;
                return true;
            }
        }
        return false;
    }

    /**
     * The length of a header from its first two bytes, which are checked first so that a bad frame
     * fails before the rest of its header arrives.
     */
    private int headerLength(byte first, byte second) throws ProtocolException {
        checkFirstBytes(first, second);
        int length7 = second & 0x7F;
        int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        return 2 + extended + ((second & 0x80) != 0 ? 4 : 0);
    }

    private void checkFirstBytes(byte first, byte second) throws ProtocolException {
        boolean fin = (first & 0x80) != 0;
        int rsv = first & 0x70;
        int opcode = first & 0x0F;
        boolean isMasked = (second & 0x80) != 0;
        int length7 = second & 0x7F;
        if (!Opcode.isDefined(opcode)) {
            throw new ProtocolException(Violation.RESERVED_OPCODE, "reserved opcode " + opcode);
        }
        if ((rsv & ~extensionBits) != 0) {
            throw new ProtocolException(Violation.RESERVED_BITS_SET);
        }
        if (Opcode.isControl(opcode)) {
            if (rsv != 0) {
                throw new ProtocolException(Violation.RESERVED_BITS_ON_CONTROL_FRAME);
            }
            if (!fin) {
                throw new ProtocolException(Violation.FRAGMENTED_CONTROL_FRAME);
            }
            if (length7 > MAX_CONTROL_PAYLOAD) {
                throw new ProtocolException(Violation.CONTROL_FRAME_TOO_LONG);
            }
        }
        // RFC 6455 §5.1: clients mask every frame, servers none.
        if (role == Role.SERVER && !isMasked) {
            throw new ProtocolException(Violation.UNMASKED_CLIENT_FRAME);
        }
        if (role == Role.CLIENT && isMasked) {
            throw new ProtocolException(Violation.MASKED_SERVER_FRAME);
        }
    }

    private void decodeHeader(ByteBuffer source, int at) throws ProtocolException {
        int first = source.get(at);
        int second = source.get(at + 1);
        int length7 = second & 0x7F;
        long length;
        int next = at + 2;
        if (length7 == 126) {
            length = bigEndian(source, source.getShort(next)) & 0xFFFF;
            next += 2;
        } else if (length7 == 127) {
            length = bigEndian(source, source.getLong(next));
            next += 8;
            if (length < 0) {
                throw new ProtocolException(Violation.PAYLOAD_LENGTH_OUT_OF_RANGE);
            }
        } else {
            length = length7;
        }
        if (length > maxFrameSize) {
            throw new ProtocolException(Violation.FRAME_TOO_BIG,
                    "frame of " + length + " bytes exceeds the maximum frame size of " + maxFrameSize);
        }
        masked = (second & 0x80) != 0;
        if (masked) {
            maskKey = bigEndian(source, source.getInt(next));
        }
        inPayload = true;
        payloadRemaining = length;
        payloadOffset = 0;
        handler.onFrameHeader(first & 0x0F, (first & 0x80) != 0, first & 0x70, length);
    }

    // RFC 6455 §5.2: multibyte lengths are in network byte order, whatever order the buffer is set to.
    private static short bigEndian(ByteBuffer source, short value) {
        return source.order() == ByteOrder.BIG_ENDIAN ? value : Short.reverseBytes(value);
    }

    private static int bigEndian(ByteBuffer source, int value) {
        return source.order() == ByteOrder.BIG_ENDIAN ? value : Integer.reverseBytes(value);
    }

    private static long bigEndian(ByteBuffer source, long value) {
        return source.order() == ByteOrder.BIG_ENDIAN ? value : Long.reverseBytes(value);
    }
}
