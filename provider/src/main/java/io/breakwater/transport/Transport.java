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
 * own threads, as that interface says.
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
     * that stopped it. Completions are called in the order of the flush calls, on a thread of the
     * transport, possibly the caller's before {@code flush} returns: a completion is quick, never blocks,
     * and hands application code on to the application's threads.
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

    /**
     * Whether the thread that calls {@link TransportHandler#onData} may go on to run application code,
     * which may block: true where input is read on a pool's threads (a servlet container's), so that a
     * message is handled on the thread that read it; false where one thread serves many connections (a
     * selector loop), or where the container would not complete a write while its thread is held.
     */
    default boolean mayRunApplicationCode() {
        return false;
    }

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
