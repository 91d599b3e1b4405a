package io.breakwater.transport;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The buffers a transport has yet to write and the flushes waiting on them, shared between the
 * threads that write and the I/O thread that drains it. Every method takes the queue's lock briefly;
 * completions are handed back to be called outside it.
 *
 * <p>Bytes are counted three ways: {@code enqueued} grows with every write (also writes refused after
 * a close or a failure, so that a flush following one of those can never succeed); {@code written}
 * grows as the I/O thread puts bytes on the wire; {@link #queuedBytes()} is what sits in the buffers
 * and is not yet written. A flush waits for {@code written} to reach {@code enqueued} as it stood when
 * the flush was called; since that target never decreases, flushes complete in order. A flush that
 * covers bytes refused after a close fails as soon as the flushes before it are done.
 */
final class WriteQueue {

    /** A flush waiting for {@code written} to reach {@code target}; {@code failure} is set when it failed. */
    static final class Flush {
        final long target;
        final Transport.WriteCompletion done;
        Throwable failure;

        Flush(long target, Transport.WriteCompletion done) {
            this.target = target;
            this.done = done;
        }
    }

    // Most connections are idle: start small (the default holds 16).
    private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>(2);
    private final ArrayDeque<Flush> flushes = new ArrayDeque<>(1);
    private long enqueued;
    private long written;
    private volatile long queued;
    /** Whether the I/O thread will look at this queue again without being asked (a task or OP_WRITE pending). */
    private boolean ioScheduled;
    private boolean closeRequested;
    /** {@code enqueued} when the close was requested: bytes beyond it are refused, never written. */
    private long closeMark;
    private Throwable failure;

    /**
     * Queues the bytes of {@code header} then {@code payload} (either may be null or empty).
     *
     * @return whether the caller must schedule an I/O pass
     */
    synchronized boolean add(ByteBuffer header, ByteBuffer payload) {
        long length = remaining(header) + remaining(payload);
        enqueued += length;
        if (length == 0 || failure != null || closeRequested) {
            return false;
        }
        if (remaining(header) > 0) {
            buffers.add(header);
        }
        if (remaining(payload) > 0) {
            buffers.add(payload);
        }
        queued += length;
        return schedule();
    }

    /** @return whether the caller must schedule an I/O pass */
    synchronized boolean flush(Transport.WriteCompletion done) {
        flushes.add(new Flush(enqueued, done));
        return schedule();
    }

    /** Marks the queue closing: later writes are refused. */
    synchronized void requestClose() {
        if (!closeRequested) {
            closeRequested = true;
            closeMark = enqueued;
        }
    }

    synchronized boolean isCloseRequested() {
        return closeRequested;
    }

    long queuedBytes() {
        return queued;
    }

    /** Whether every queued buffer has been consumed. */
    synchronized boolean isEmpty() {
        return buffers.isEmpty();
    }

    /**
     * Puts the first buffers (up to the array's length) into {@code into} and the flushes now complete
     * into {@code due}. When there are no buffers, the I/O thread stops looking until asked again.
     *
     * @return how many buffers were put in {@code into}
     */
    synchronized int gather(ByteBuffer[] into, List<Flush> due) {
        collectDue(due);
        int count = 0;
        for (ByteBuffer buffer : buffers) {
            if (count == into.length) {
                break;
            }
            into[count++] = buffer;
        }
        if (count == 0) {
            ioScheduled = false;
        }
        return count;
    }

    /** Drops the buffers at the head that have been consumed entirely (their positions were advanced). */
    synchronized void consumed() {
        while (!buffers.isEmpty() && !buffers.peekFirst().hasRemaining()) {
            buffers.pollFirst();
        }
    }

    /** Counts {@code bytes} as written and puts the flushes now complete into {@code due}. */
    synchronized void written(long bytes, List<Flush> due) {
        if (failure != null) {
            return;
        }
        written += bytes;
        queued -= bytes;
        collectDue(due);
    }

    /**
     * Stops the queue for good: buffers are dropped, and every flush not yet complete fails with
     * {@code cause} (or the earlier failure), now and from now on. Puts them all into {@code due}.
     */
    synchronized void fail(Throwable cause, List<Flush> due) {
        if (failure == null) {
            failure = cause;
        }
        buffers.clear();
        queued = 0;
        ioScheduled = false;
        collectDue(due);
    }

    /** Whether {@link #fail} was called. */
    synchronized boolean isFailed() {
        return failure != null;
    }

    private void collectDue(List<Flush> due) {
        Flush next;
        while ((next = flushes.peekFirst()) != null) {
            if (next.target <= written) {
                next.failure = null;
            } else if (failure != null) {
                next.failure = failure;
            } else if (closeRequested && next.target > closeMark) {
                next.failure = new ClosedChannelException(); // it covers bytes refused after the close
            } else {
                return;
            }
            due.add(flushes.pollFirst());
        }
    }

    private boolean schedule() {
        if (ioScheduled) {
            return false;
        }
        ioScheduled = true;
        return true;
    }

    private static long remaining(ByteBuffer buffer) {
        return buffer == null ? 0 : buffer.remaining();
    }
}
