package io.breakwater.transport;

import java.nio.ByteBuffer;

/**
 * What a {@link Transport} reports. Input ({@link #onData}, {@link #onEndOfInput}) comes one call at a
 * time from the transport's reading thread; {@link #onClosed} may come from another thread, even while
 * an input call is under way (where the transport lets that call run application code, it may last).
 */
public interface TransportHandler {

    /**
     * Bytes read from the peer, between the buffer's position and limit. The buffer is the transport's
     * and valid only during the call; the handler may modify its contents (the engine unmasks in place).
     */
    void onData(ByteBuffer data);

    /** The peer closed its side of the stream (end of input). */
    void onEndOfInput();

    /** The connection is closed, by either side or by an error (null when it closed normally). Called once. */
    void onClosed(Throwable failure);
}
