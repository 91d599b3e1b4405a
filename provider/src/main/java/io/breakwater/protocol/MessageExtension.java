package io.breakwater.protocol;

import java.nio.ByteBuffer;

/**
 * A negotiated extension that transforms the payload of whole data messages and marks them with
 * reserved bits of the first frame (RFC 6455 §5.2 and §9; RFC 7692 permessage-deflate is one).
 *
 * <p>The {@link Connection} owns the extension for its lifetime, calls it from one thread at a time,
 * and never hands it control frames. Limits stay with the connection: it counts what {@link #decode}
 * writes to the sink and fails the message as soon as it grows past the maximum message size, so an
 * implementation must write its output in bounded pieces as it produces them.
 */
public interface MessageExtension {

    /** RSV1 in the first header byte. */
    int RSV1 = 0x40;
    /** RSV2 in the first header byte. */
    int RSV2 = 0x20;
    /** RSV3 in the first header byte. */
    int RSV3 = 0x10;

    /** The reserved bits (of {@link #RSV1}, {@link #RSV2}, {@link #RSV3}) this extension defines. */
    int reservedBits();

    /**
     * Decodes the next payload chunk of an inbound message whose first frame carried the reserved
     * bits {@code rsv} (never 0; messages without them bypass the extension).
     *
     * @param payload the unmasked payload bytes; valid only during this call
     * @param endOfMessage whether this chunk ends the message
     * @param sink receives the decoded bytes, in pieces the extension chooses
     * @throws ProtocolException when the payload cannot be decoded, or from the sink when a limit is hit
     */
    void decode(int rsv, ByteBuffer payload, boolean endOfMessage, PayloadSink sink) throws ProtocolException;

    /**
     * Chooses how an outbound message is sent, given its first part: the reserved bits to set on its
     * first frame, or 0 to send it as it is (then {@link #encode} is not called for it).
     */
    int encodingFor(ByteBuffer firstPart, boolean endOfMessage);

    /**
     * Encodes the next part of an outbound message that {@link #encodingFor} chose to encode.
     * The part is not modified; the returned buffer belongs to the caller.
     */
    ByteBuffer encode(ByteBuffer part, boolean endOfMessage);

    /** Frees what the extension holds (native zlib memory, for example). Called once, when the connection ends. */
    void release();

    /** Receives decoded payload bytes. */
    @FunctionalInterface
    interface PayloadSink {
        /** @param decoded valid only during the call */
        void accept(ByteBuffer decoded) throws ProtocolException;
    }
}
