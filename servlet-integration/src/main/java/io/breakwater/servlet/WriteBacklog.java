package io.breakwater.servlet;

import io.breakwater.transport.Transport.WriteCompletion;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What a transport has been given to write and not yet written, and the flushes waiting for it:
 * the bookkeeping that {@link ServletTransport} and {@link JettyTunnel} share, whatever way they
 * write. Offsets count every byte queued since the connection opened, so a flush is done once the
 * written offset reaches the queued offset it was registered at.
 *
 * <p>Not thread-safe: its owner calls it under the lock that guards its output.
 */
final class WriteBacklog {

    private record PendingFlush(long target, WriteCompletion done) {
    }

    // Most connections are idle: start small (the default holds 16).
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>(2);
    private final ArrayDeque<PendingFlush> flushes = new ArrayDeque<>(1);
    private long queuedTotal;
    private long writtenTotal;
    private boolean closed;
    private Throwable failure;

    /** Queues a frame's header and payload, either of which may be null or empty. */
    void add(ByteBuffer header, ByteBuffer payload) {
        add(header);
        add(payload);
    }

    private void add(ByteBuffer buffer) {
        if (buffer != null && buffer.hasRemaining()) {
            queuedTotal += buffer.remaining();
            queue.add(buffer);
        }
    }

    /**
     * Registers {@code done} to be completed once everything queued so far is written.
     *
     * @return null when registered; else the failure to complete it with (the output is closed)
     */
    Throwable addFlush(WriteCompletion done) {
        if (failure != null) {
            return failure;
        }
        if (closed) {
            return new ClosedChannelException();
        }
        flushes.add(new PendingFlush(queuedTotal, done));
        return null;
    }

    long unwritten() {
        return queuedTotal - writtenTotal;
    }

    boolean hasQueued() {
        return !queue.isEmpty();
    }

    boolean hasFlushes() {
        return !flushes.isEmpty();
    }

    /** The next buffer to write, taken off the queue; null when none. */
    ByteBuffer poll() {
        return queue.poll();
    }

    /** Every queued buffer, taken off the queue, for one gathering write. */
    ByteBuffer[] pollAll() {
        ByteBuffer[] all = queue.toArray(new ByteBuffer[0]);
        queue.clear();
        return all;
    }

    /** Counts {@code bytes} as written. */
    void written(long bytes) {
        writtenTotal += bytes;
    }

    long writtenTotal() {
        return writtenTotal;
    }

    /** Takes off the flushes whose bytes are all within the first {@code confirmed} bytes written. */
    List<WriteCompletion> flushesDoneAt(long confirmed) {
        List<WriteCompletion> done = new ArrayList<>();
        while (!flushes.isEmpty() && flushes.peek().target() <= confirmed) {
            done.add(flushes.poll().done());
        }
        return done;
    }

    boolean isClosed() {
        return closed;
    }

    /** No more output: later flushes fail. */
    void close() {
        closed = true;
    }

    /**
     * Closes the output because of {@code cause} (kept for later flushes unless an earlier failure
     * was), drops what was queued, and returns the flushes still waiting, to be failed.
     */
    List<WriteCompletion> abandon(Throwable cause) {
        closed = true;
        if (failure == null) {
            failure = cause;
        }
        List<WriteCompletion> pending = new ArrayList<>();
        flushes.forEach(flush -> pending.add(flush.done()));
        flushes.clear();
        queue.clear();
        return pending;
    }
}
