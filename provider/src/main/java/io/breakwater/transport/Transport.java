package io.breakwater.transport;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The byte stream under one WebSocket connection, as the session layer sees it: an NIO socket (with or
 * without TLS) for the client and test servers, a servlet's upgraded connection on a server. Writes
 * are queued in order and never block; the transport tells when they are done, and how much is
 * waiting, so that senders can be held back instead of the queue growing without bound.
 *
 * <p>Methods may be called from any thread. Calls to {@link TransportHandler} come from the transport's
 * own I/O thread, one at a time.
 */
public interface Transport {

    /**
     * Queues bytes to be written after everything queued before them, at the latest once
     * {@link #flush} is called (a transport may start at once, or gather writes until then). The
     * buffers are the transport's until the completion of the next flush.
     */
    void write(ByteBuffer header, ByteBuffer payload);

    /**
     * Calls {@code done} once every byte queued so far is written to the socket, or with the failure
     * that stopped it. Completions are called in the order of the flush calls.
     */
    void flush(WriteCompletion done);

    /** Bytes queued and not yet written. */
    long queuedBytes();

    /** Stops delivering input to the handler until {@link #resumeReading()}: the peer is held back by TCP. */
    void suspendReading();

    void resumeReading();

    /**
     * Closes the connection once the bytes queued so far are written (or at once if writing failed).
     * {@link TransportHandler#onClosed} follows.
     */
    void close();

    /** Closes the connection now, discarding queued bytes (a reset where the platform allows). */
    void abort();

    SocketAddress localAddress();

    SocketAddress remoteAddress();

    boolean isSecure();

    /** Told when queued writes are done. */
    @FunctionalInterface
    interface WriteCompletion {
        /** @param failure null when the writes succeeded */
        void completed(Throwable failure);
    }
}
