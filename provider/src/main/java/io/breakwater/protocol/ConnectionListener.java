package io.breakwater.protocol;

import java.nio.ByteBuffer;

/**
 * What a {@link Connection} reports as it reads the peer's bytes. Calls come from inside
 * {@link Connection#receive}, on the thread that called it. Buffers are valid only during the call:
 * keep a copy of what is needed later.
 */
public interface ConnectionListener {

    /**
     * A piece of a text message, as well-formed UTF-8 so far; a code point may still be split across
     * two pieces. Pieces of a message arrive in order, and {@code last} is true on the final one
     * (which may be empty).
     */
    void onText(ByteBuffer utf8, boolean last);

    /** A piece of a binary message; {@code last} is true on the final one (which may be empty). */
    void onBinary(ByteBuffer data, boolean last);

    /** A ping arrived; the pong that answers it has already been sent (RFC 6455 §5.5.2). */
    default void onPing(ByteBuffer payload) {
    }

    /** A pong arrived (RFC 6455 §5.5.3). */
    default void onPong(ByteBuffer payload) {
    }

    /**
     * We failed the connection because the peer broke the protocol: a close frame with
     * {@link ProtocolException#closeCode()} has been sent, and the transport should be closed
     * (RFC 6455 §7.1.7). {@link #onClose} follows.
     */
    default void onProtocolError(ProtocolException error) {
    }

    /**
     * The WebSocket connection is closed, reported exactly once: with the peer's close code when its
     * close frame arrived ({@link CloseStatus#NO_STATUS} when the frame had no body), with our code
     * after a protocol error, or {@link CloseStatus#ABNORMAL} when the transport ended before a close
     * frame was received (RFC 6455 §7.1.5).
     */
    void onClose(CloseStatus status);
}
