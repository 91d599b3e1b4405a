package io.breakwater.api;

import io.breakwater.transport.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One session's frames on their way to the transport, in the order they will be written: the data
 * frames an {@link OutboundChannel} has encoded, and the control frames the engine answers with (pongs,
 * the close frame). Whoever adds frames then calls {@link #flush()}; one thread at a time, the
 * <em>flusher</em>, hands them to the transport, outside the lock, so that no lock of the session is
 * held while the transport runs (it may complete writes, and call back, on the calling thread).
 *
 * <p>The lock guards only this queue; nothing is called while it is held. It is the one place that
 * decides the order of a data frame and the close frame: once a close frame is in, data frames are
 * refused (RFC 6455 §5.5.1: nothing after a Close frame).
 */
final class FrameQueue {

    /** Closes the transport once everything before it is written. */
    private static final Object CLOSE_TRANSPORT = new Object();

    /** The completion of frames whose outcome nobody waits for (a reply, the close frame): never told. */
    static final Transport.WriteCompletion NOBODY_WAITS = failure -> { };

    private final Transport transport;
    private final ReentrantLock lock = new ReentrantLock();
    /** {@link Frame}s, {@link Transport.WriteCompletion}s (one after each batch) and {@link #CLOSE_TRANSPORT}. */
    // Most connections are idle: start small (the default holds 16).
    private final ArrayDeque<Object> entries = new ArrayDeque<>(1);
    /** Written with the lock held; read without it, as a limit check needs no more than a recent value. */
    private volatile long queuedBytes;
    private boolean closeFrameQueued;
    private boolean transportCloseQueued;
    private boolean flushing;
    /** Why nothing more will be written (the transport is gone), or null. */
    private IOException failed;

    FrameQueue(Transport transport) {
        this.transport = transport;
    }

    /** One frame as the engine writes it: a header and its payload, written back to back. */
    record Frame(ByteBuffer header, ByteBuffer payload) {
        long size() {
            return header.remaining() + payload.remaining();
        }
    }

    /**
     * Queues the frames of one data message (or part); {@code done} is told once they are written. The
     * list is not kept: its caller may reuse it.
     *
     * @return false, having queued nothing, after the close frame (or when the transport is gone)
     */
    boolean offerData(List<Frame> frames, Transport.WriteCompletion done) {
        lock.lock();
        try {
            if (closeFrameQueued || transportCloseQueued || failed != null) {
                return false;
            }
            for (int i = 0; i < frames.size(); i++) {
                add(frames.get(i));
            }
            entries.add(done);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a completion alone, told once everything queued before it is written, or why it never will
     * be: a send that failed learns so after the sends before it. Accepted whatever the state (after the
     * close frame, after {@link #fail}): completions always reach the transport, in order.
     */
    void offerCompletion(Transport.WriteCompletion done) {
        lock.lock();
        try {
            entries.add(done);
        } finally {
            lock.unlock();
        }
    }

    /** Queues a ping or pong; dropped after the close frame, since nothing may follow it. */
    void offerControl(Frame frame) {
        lock.lock();
        try {
            if (!closeFrameQueued && !transportCloseQueued && failed == null) {
                add(frame);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues the close frame, after which nothing else is sent; {@code done} is told once it is written.
     *
     * @return false, having queued nothing, when a close frame was queued already (the first one wins) or
     *         the transport is closing
     */
    boolean offerClose(Frame frame, Transport.WriteCompletion done) {
        lock.lock();
        try {
            if (closeFrameQueued || transportCloseQueued || failed != null) {
                return false;
            }
            closeFrameQueued = true;
            add(frame);
            entries.add(done);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the close frame has been queued: no data message may be sent any more. */
    boolean closeFrameQueued() {
        lock.lock();
        try {
            return closeFrameQueued;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the transport once what is queued now has been written (the flush that follows does it). */
    void closeTransportWhenWritten() {
        lock.lock();
        try {
            if (!transportCloseQueued) {
                transportCloseQueued = true;
                entries.add(CLOSE_TRANSPORT);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Bytes queued here or in the transport and not yet written. */
    long queuedBytes() {
        return queuedBytes + transport.queuedBytes(); // the transport is asked with no lock held
    }

    /**
     * Hands everything queued to the transport, unless another thread is doing so: that one then takes
     * these entries too, in order. Called with no lock held.
     */
    void flush() {
        lock.lock();
        if (flushing) {
            lock.unlock();
            return;
        }
        flushing = true;
        try {
            while (!entries.isEmpty()) {
                Object[] batch = entries.toArray();
                entries.clear();
                queuedBytes = 0; // the transport counts them from now on
                lock.unlock();
                try {
                    handOver(batch);
                } finally {
                    lock.lock();
                }
            }
        } finally {
            flushing = false;
            lock.unlock();
        }
    }

    /**
     * The transport is gone: no more frames are queued, those still queued are dropped, and the
     * completions still queued fail with {@code cause}. They still go through the transport, in their
     * turn: it fails what it was given before them first (a flusher may be handing it a batch right now),
     * so that every send hears its outcome in send order.
     */
    void fail(IOException cause) {
        lock.lock();
        try {
            if (failed != null) {
                return;
            }
            failed = cause;
            ArrayDeque<Object> kept = new ArrayDeque<>();
            for (Object entry : entries) {
                if (entry instanceof Transport.WriteCompletion done) {
                    kept.add((Transport.WriteCompletion) ignored -> done.completed(cause));
                }
            }
            entries.clear();
            entries.addAll(kept);
            queuedBytes = 0;
        } finally {
            lock.unlock();
        }
        flush();
    }

    private void add(Frame frame) {
        entries.add(frame);
        queuedBytes += frame.size();
    }

    /**
     * Gives the transport a batch: every frame first, then one flush for the completions before the close
     * (if any) and one for those after it. A flush starts a write, so flushing after each message would
     * cost a write (a system call) per message, and each flush costs the transport some work of its own;
     * this way the batch goes out in one. A completion is then told once the whole batch is written, which
     * is later only by what the same write carries after its own bytes. No frame follows the close in a
     * batch: nothing is queued after it.
     */
    private void handOver(Object[] batch) {
        boolean unflushed = false;
        for (Object entry : batch) {
            if (entry instanceof Frame frame) {
                transport.write(frame.header(), frame.payload());
                unflushed = true;
            }
        }
        List<Transport.WriteCompletion> told = new ArrayList<>();
        for (Object entry : batch) {
            if (entry instanceof Transport.WriteCompletion done) {
                if (done != NOBODY_WAITS) {
                    told.add(done);
                }
            } else if (entry == CLOSE_TRANSPORT) {
                if (unflushed || !told.isEmpty()) {
                    transport.flush(inOrder(told));
                }
                told = new ArrayList<>();
                unflushed = false;
                transport.close(); // writes what it was given first
            }
        }
        if (unflushed || !told.isEmpty()) {
            transport.flush(inOrder(told)); // with none told, for control frames or replies alone
        }
    }

    /**
     * One completion that tells each of {@code told} the outcome of the flush, in their order; one that
     * throws does not keep the others from being told (the first exception is rethrown after them).
     */
    private static Transport.WriteCompletion inOrder(List<Transport.WriteCompletion> told) {
        return switch (told.size()) {
            case 0 -> NOBODY_WAITS; // a failed write closes the connection, which tells the session
            case 1 -> told.get(0);
            default -> failure -> {
                RuntimeException first = null;
                for (Transport.WriteCompletion done : told) {
                    try {
                        done.completed(failure);
                    } catch (RuntimeException e) {
                        if (first == null) {
                            first = e;
                        } else {
                            first.addSuppressed(e);
                        }
                    }
                }
                if (first != null) {
                    throw first;
                }
            };
        };
    }
}
