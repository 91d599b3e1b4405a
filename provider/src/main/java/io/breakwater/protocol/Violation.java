package io.breakwater.protocol;

/**
 * Every way a peer can break RFC 6455 or RFC 7692, each named once and mapped to the close code
 * we fail the connection with (RFC 6455 §7.4.1).
 */
public enum Violation {
    // RFC 6455 §5.1: a server fails an unmasked frame; a client fails a masked one.
    UNMASKED_CLIENT_FRAME(CloseStatus.PROTOCOL_ERROR, "client frame is not masked"),
    MASKED_SERVER_FRAME(CloseStatus.PROTOCOL_ERROR, "server frame is masked"),
    // RFC 6455 §5.2: RSV bits must be 0 unless an extension gives them a meaning.
    RESERVED_BITS_SET(CloseStatus.PROTOCOL_ERROR, "reserved bits set without an extension that defines them"),
    // RFC 7692 §6.1: only the first frame of a data message may carry the "compressed" bit.
    RESERVED_BITS_ON_CONTINUATION(CloseStatus.PROTOCOL_ERROR, "reserved bits set on a continuation frame"),
    RESERVED_BITS_ON_CONTROL_FRAME(CloseStatus.PROTOCOL_ERROR, "reserved bits set on a control frame"),
    // RFC 6455 §5.2: opcodes 3-7 and 11-15 are reserved.
    RESERVED_OPCODE(CloseStatus.PROTOCOL_ERROR, "reserved opcode"),
    // RFC 6455 §5.2: the most significant bit of a 64-bit length must be 0.
    PAYLOAD_LENGTH_OUT_OF_RANGE(CloseStatus.PROTOCOL_ERROR, "64-bit payload length has its top bit set"),
    // RFC 6455 §5.5: control frames carry at most 125 bytes and are never fragmented.
    CONTROL_FRAME_TOO_LONG(CloseStatus.PROTOCOL_ERROR, "control frame payload longer than 125 bytes"),
    FRAGMENTED_CONTROL_FRAME(CloseStatus.PROTOCOL_ERROR, "fragmented control frame"),
    // RFC 6455 §5.4: fragments of one message are never interleaved with another data message.
    CONTINUATION_WITHOUT_MESSAGE(CloseStatus.PROTOCOL_ERROR, "continuation frame with no message to continue"),
    DATA_FRAME_INSIDE_MESSAGE(CloseStatus.PROTOCOL_ERROR, "new data frame before the fragmented message ended"),
    // RFC 6455 §5.5.1: a close body is empty or at least a 2-byte code.
    CLOSE_PAYLOAD_TOO_SHORT(CloseStatus.PROTOCOL_ERROR, "close frame payload of 1 byte"),
    // RFC 6455 §7.4: codes that must never appear on the wire.
    INVALID_CLOSE_CODE(CloseStatus.PROTOCOL_ERROR, "invalid close code"),
    // RFC 6455 §5.5.1 and §8.1: close reasons and text messages are UTF-8.
    INVALID_CLOSE_REASON(CloseStatus.INVALID_PAYLOAD, "close reason is not valid UTF-8"),
    INVALID_UTF8(CloseStatus.INVALID_PAYLOAD, "text message is not valid UTF-8"),
    // RFC 7692 §6.2: an error while decompressing fails the connection.
    INVALID_COMPRESSED_DATA(CloseStatus.INVALID_PAYLOAD, "compressed payload cannot be inflated"),
    // RFC 6455 §7.4.1 (1009): our own limits, checked before the payload is buffered.
    FRAME_TOO_BIG(CloseStatus.MESSAGE_TOO_BIG, "frame exceeds the maximum frame size"),
    MESSAGE_TOO_BIG(CloseStatus.MESSAGE_TOO_BIG, "message exceeds the maximum message size");

    private final int closeCode;
    private final String description;

    Violation(int closeCode, String description) {
        this.closeCode = closeCode;
        this.description = description;
    }

    /** The close code the connection is failed with. */
    public int closeCode() {
        return closeCode;
    }

    /** A short sentence for logs and for the close reason. */
    public String description() {
        return description;
    }
}
