package io.breakwater.api;

import io.breakwater.protocol.MessageFramer;
import io.breakwater.protocol.FrameOutput;
import io.breakwater.transport.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Puts one session's outgoing messages on the wire in the order they were sent, from any number of
 * threads, without ever interleaving the frames of two messages (RFC 6455 §5.4) and without an
 * {@code IllegalStateException} for a send that merely arrived while another was under way.
 *
 * <p>Sends are queued; one thread at a time, the <em>encoder</em> (a sender that found nobody encoding),
 * takes them in order, compresses, frames and masks them with no lock held, and hands the frames to the
 * {@link FrameQueue}. The thread that reads the peer's input never encodes: a large compressed message
 * costs its sender's time, not everyone's. A message sent in parts holds the data channel from its
 * first part to its last: whole messages and first parts sent meanwhile wait, and go out, in order, as
 * soon as it ends. A close waits only for the messages queued before it.
 *
 * <p>Nothing grows without bound: a send that does not block is refused at once when the bytes waiting
 * and the bytes not yet written pass {@code maxQueuedBytes}; its sender learns so in its turn, after the
 * sends before it are done, since results are reported in send order. A blocking send waits for its
 * turn and for its bytes to be written, up to the send timeout (none when it is 0 or less), after which
 * the connection is aborted, since what is on the wire by then is unknown. A blocking send that is
 * interrupted before it was taken is withdrawn; taken, it may be half on the wire, so the connection is
 * aborted.
 *
 * <p>The lock guards the queue and the channel's state only; nothing is called while it is held.
 */
final class OutboundChannel {

    /** What to send: a message type of the engine's data frames. */
    enum Kind {
        TEXT,
        BINARY
    }

    private final MessageFramer framer;
    /** Frames the pings and pongs the application sends, from any thread, synchronized on itself. */
    private final MessageFramer controlFramer;
    private final FrameQueue frames;
    private final Transport transport;
    private final long maxQueuedBytes;

    private final ReentrantLock lock = new ReentrantLock();
    /** Whole messages, first parts and the close, in the order they were sent. */
    // Most connections are idle: start small (the default holds 16).
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>(1);
    private long waitingBytes;
    /** The next part of the unfinished message, once its sender gave it. */
    private Pending continuation;
    /** The type of the message whose last part is still to come, or null when the channel is free. */
    private Kind unfinished;
    /** The thread that sent the unfinished message's latest part: a whole send from it could never proceed. */
    private Thread unfinishedSender;
    /** Whether a thread is encoding (see the class comment). */
    private boolean encoding;
    /** Whether a close was asked for: new messages are refused, the parts of an unfinished one still go. */
    private boolean closing;
    /** Why sending is over (close frame written, connection gone), or null while open. */
    private IOException closedCause;
    /** Whether the connection is gone: nothing waiting runs any more, closes included; each is told why. */
    private boolean terminated;
    /** Runs when the encoder next gives up its part ({@link #whenIdle}). */
    private Runnable onceIdle;

    /** The frames of the message being encoded; only the encoder touches them (no lock). */
    private final List<FrameQueue.Frame> encoded = new ArrayList<>(2);
    private final FrameOutput collectEncoded = (header, body) -> encoded.add(new FrameQueue.Frame(header, body));

    OutboundChannel(MessageFramer framer, MessageFramer controlFramer, FrameQueue frames, Transport transport,
                    long maxQueuedBytes) {
        this.framer = framer;
        this.controlFramer = controlFramer;
        this.frames = frames;
        this.transport = transport;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /**
     * Sends a whole message without blocking; {@code done} is called once its bytes are written, or
     * with the reason they never will be (a full queue, a closed session), after the sends before it
     * were told theirs. The payload must not change until then.
     *
     * @return false when the message was refused at once (its refusal waits for its turn, holding
     *         nothing of the payload): the caller may let go of what it kept for a success
     */
    boolean sendAsync(Kind kind, ByteBuffer payload, Transport.WriteCompletion done) {
        boolean encode;
        IOException refused;
        long queuedBeyond = frames.queuedBytes(); // asked before the lock: nothing is called with it held
        lock.lock();
        try {
            refused = refusal(payload.remaining(), queuedBeyond);
            if (refused == null) {
                waiting.add(new Pending(kind, payload, true, null, Thread.currentThread(), done));
                waitingBytes += payload.remaining();
            } else {
                waiting.add(Pending.failure(refused, done));
            }
            encode = claimEncoding();
        } finally {
            lock.unlock();
        }
        if (encode) {
            encodeWhatWaits();
        }
        return refused == null;
    }

    /**
     * Reports a send that failed before it reached the channel (its encoder threw) in its turn: once
     * the sends before it are done, since an application learns the results of its sends in the order
     * it made them (as it does for a send this channel refuses).
     */
    void failInTurn(Throwable cause, Transport.WriteCompletion done) {
        boolean encode;
        lock.lock();
        try {
            waiting.add(Pending.failure(cause, done));
            encode = claimEncoding();
        } finally {
            lock.unlock();
        }
        if (encode) {
            encodeWhatWaits();
        }
    }

    /**
     * Encodes a whole message on the calling thread at once, without flushing the transport: it goes out
     * with the next flush, which the caller makes (see {@link BreakwaterSession#replyWithRead}). The payload
     * must not change until that flush has written it.
     *
     * @return false, having sent nothing, when the message cannot go at once: another waits ahead of it or
     *         is being sent in parts or encoded, the session is closing, or the bytes not yet written would
     *         pass the queue limit; the caller then sends it the usual way
     */
    boolean sendUnflushed(Kind kind, ByteBuffer payload) {
        if (frames.queuedBytes() + payload.remaining() > maxQueuedBytes) {
            return false;
        }
        lock.lock();
        try {
            if (closedCause != null || closing || unfinished != null || encoding || !waiting.isEmpty()) {
                return false;
            }
            encoding = true;
        } finally {
            lock.unlock();
        }
        boolean queued;
        try {
            queued = frames.offerData(encode(kind, payload, true), FrameQueue.NOBODY_WAITS);
        } finally {
            encoded.clear();
            encodeWhatWaits(); // sends that came meanwhile; gives the encoder's part back
        }
        return queued;
    }

    /**
     * Sends a whole message or one part of one, blocking until it is written.
     *
     * @param continuation whether this is the next part of the unfinished message (it then never waits)
     * @param timeoutMillis the send timeout; 0 or less waits as long as it takes
     * @throws IllegalStateException when the calling thread itself holds an unfinished message that this
     *                               send would have to wait for
     */
    void sendBlocking(Kind kind, ByteBuffer payload, boolean last, boolean continuation, long timeoutMillis)
            throws IOException {
        long startedAt = System.nanoTime();
        CompletableFuture<Void> written = new CompletableFuture<>();
        Pending pending = new Pending(kind, payload, last, null, Thread.currentThread(), failure -> {
            if (failure == null) {
                written.complete(null);
            } else {
                written.completeExceptionally(failure);
            }
        });
        boolean encode;
        lock.lock();
        try {
            // A blocking send is never refused for a full queue: it waits, up to the send timeout.
            IOException refused = continuation ? closedCause : closedRefusal();
            if (refused != null) {
                throw new IOException(refused.getMessage(), refused);
            }
            if (continuation) {
                if (unfinished != kind) {
                    throw new IllegalStateException(unfinished == null
                            ? "no " + name(kind) + " message is being sent in parts"
                            : "a " + name(unfinished) + " message is being sent in parts");
                }
                this.continuation = pending;
            } else {
                if (unfinished != null && unfinishedSender == Thread.currentThread()) {
                    throw new IllegalStateException("this thread is sending a " + name(unfinished)
                            + " message in parts; send its last part first");
                }
                waiting.add(pending);
                waitingBytes += pending.size();
            }
            encode = claimEncoding();
        } finally {
            lock.unlock();
        }
        if (encode) {
            encodeWhatWaits();
        }
        await(pending, written, startedAt, timeoutMillis);
    }

    /** Sends a ping or pong now, between the fragments of an unfinished message if need be (§5.4). */
    void sendControl(boolean ping, ByteBuffer payload) throws IOException {
        lock.lock();
        try {
            if (closedCause != null) {
                throw new IOException(closedCause.getMessage(), closedCause);
            }
        } finally {
            lock.unlock();
        }
        List<FrameQueue.Frame> frame = new ArrayList<>(1);
        // A framer of their own, so that a ping never waits for the encoder of a large message.
        synchronized (controlFramer) { // a monitor, not a lock object: most sessions never send a ping
            FrameOutput output = (header, body) -> frame.add(new FrameQueue.Frame(header, body));
            if (ping) {
                controlFramer.ping(payload, output);
            } else {
                controlFramer.pong(payload, output);
            }
        }
        frames.offerControl(frame.get(0));
        frames.flush();
    }

    /**
     * Queues a close behind the messages already waiting: when its turn comes, the encoder runs
     * {@code writeClose}, which puts the close frame in the frame queue (or nothing, when one is there
     * already: the first close frame wins); later sends fail from then on. New messages are refused from
     * now on; closes queued after this one still run, in order.
     *
     * @param failed told why, when the connection is gone before the close's turn came
     */
    void close(Runnable writeClose, Transport.WriteCompletion failed) {
        boolean encode;
        lock.lock();
        try {
            encode = claimEncoding();
            closing = true;
            waiting.add(new Pending(null, null, true, writeClose, Thread.currentThread(), failed));
        } finally {
            lock.unlock();
        }
        if (encode) {
            encodeWhatWaits();
        }
    }

    /**
     * No more messages go out: every waiting send fails with {@code cause}, and so does every later one.
     * A message being encoded now is refused by the frame queue, and fails the same way. The waiting
     * sends are failed by the encoder, in their turn (the one now encoding, or this thread): each is
     * told after the sends before it, whatever threads are involved.
     */
    void terminate(IOException cause) {
        boolean encode;
        lock.lock();
        try {
            if (closedCause == null) {
                closedCause = cause;
            }
            terminated = true;
            unfinished = null;
            unfinishedSender = null;
            encode = claimEncoding();
        } finally {
            lock.unlock();
        }
        if (encode) {
            encodeWhatWaits();
        }
    }

    /**
     * Runs {@code action} once no thread is encoding: now, or when the encoder gives up its part. For
     * freeing what the encoder uses (the extension's zlib stream) after {@link #terminate}.
     */
    void whenIdle(Runnable action) {
        lock.lock();
        try {
            if (encoding) {
                onceIdle = action;
                return;
            }
        } finally {
            lock.unlock();
        }
        action.run();
    }

    /** Bytes accepted and not yet written: waiting here, or queued in the frame queue and the transport. */
    long queuedBytes() {
        long waitingNow;
        lock.lock();
        try {
            waitingNow = waitingBytes;
        } finally {
            lock.unlock();
        }
        return waitingNow + frames.queuedBytes();
    }

    // ------------------------------------------------------------------------------------------------

    /** Takes the encoder's part if nobody has it; with the lock held. */
    private boolean claimEncoding() {
        if (encoding) {
            return false;
        }
        encoding = true;
        return true;
    }

    /**
     * The encoder's loop: takes the sends whose turn it is, one at a time, and encodes each with no lock
     * held; gives up the encoder's part when none can go now (a message in parts waits for its next part).
     * Once sending is over, a message taken is not encoded but failed, in its turn like any outcome:
     * through the frame queue, after the sends before it.
     */
    private void encodeWhatWaits() {
        while (true) {
            Pending next;
            IOException over;
            boolean gone;
            Runnable idle = null;
            lock.lock();
            try {
                next = takeNext();
                over = closedCause;
                gone = terminated;
                if (next == null) {
                    encoding = false;
                    idle = onceIdle;
                    onceIdle = null;
                }
            } finally {
                lock.unlock();
            }
            if (next == null) {
                if (idle != null) {
                    idle.run();
                }
                return;
            }
            if (next.failure() != null) {
                frames.offerCompletion(next.done()); // told once what was sent before it is written
            } else if (over != null && (next.isMessage() || gone)) {
                IOException cause = new IOException(over.getMessage(), over);
                frames.offerCompletion(ignored -> next.done().completed(cause));
            } else if (next.close() != null) {
                next.close().run(); // the close frame into the frame queue
                closeFrameSent();
            } else {
                encodeAndQueue(next);
            }
            frames.flush();
        }
    }

    /** The next send whose turn it is, taken from the queue and marked taken; null when none can go now. */
    private Pending takeNext() {
        Pending next;
        if ((unfinished != null || closedCause != null) && continuation != null) {
            next = continuation;
            continuation = null;
        } else {
            next = waiting.peek();
            if (next == null || next.isMessage() && unfinished != null) {
                return null; // a data message waits for the unfinished one to end; a close need not (§5.4)
            }
            waiting.poll();
            waitingBytes -= next.size();
        }
        if (closedCause != null) {
            return next; // to be failed (or a close run): nothing of a message goes out, so it is not taken
        }
        next.taken = true;
        if (next.isMessage()) {
            unfinished = next.last() ? null : next.kind();
            unfinishedSender = next.last() ? null : next.sender();
        }
        return next;
    }

    private void encodeAndQueue(Pending pending) {
        try {
            try {
                encode(pending.kind(), pending.payload(), pending.last());
            } catch (RuntimeException e) {
                // Cannot happen for a message the channel let through; should it, the connection is unusable.
                transport.abort();
                pending.done().completed(new IOException("the message could not be encoded", e));
                return;
            }
            if (!frames.offerData(encoded, pending.done())) {
                IOException cause = refusedCause();
                frames.offerCompletion(ignored -> pending.done().completed(cause)); // in its turn, as ever
            }
        } finally {
            encoded.clear();
        }
    }

    /** Frames one message (part) into {@link #encoded}, which the frame queue copies from; by the encoder only. */
    private List<FrameQueue.Frame> encode(Kind kind, ByteBuffer payload, boolean last) {
        if (kind == Kind.TEXT) {
            framer.text(payload, last, collectEncoded);
        } else {
            framer.binary(payload, last, collectEncoded);
        }
        return encoded;
    }

    /**
     * After a close frame nothing may be sent (RFC 6455 §5.5.1): the messages still waiting, and the next
     * part of an unfinished one, fail in their turn (see {@link #encodeWhatWaits}); closes still run.
     */
    private void closeFrameSent() {
        lock.lock();
        try {
            if (closedCause == null) {
                closedCause = new IOException("the close frame has been sent");
            }
            unfinished = null;
            unfinishedSender = null;
        } finally {
            lock.unlock();
        }
    }

    private IOException refusedCause() {
        lock.lock();
        try {
            return closedCause != null ? new IOException(closedCause.getMessage(), closedCause)
                    : new IOException("the close frame has been sent");
        } finally {
            lock.unlock();
        }
    }

    /** Why a new message that does not block cannot be accepted now, or null; {@code queuedBeyond}: in the frame queue and transport. */
    private IOException refusal(int bytes, long queuedBeyond) {
        IOException closed = closedRefusal();
        if (closed != null) {
            return closed;
        }
        long queued = waitingBytes + queuedBeyond;
        if (queued + bytes > maxQueuedBytes) {
            return new SendQueueFullException(queued, bytes, maxQueuedBytes);
        }
        return null;
    }

    /** Why no new message can be accepted any more, or null. */
    private IOException closedRefusal() {
        if (closedCause != null) {
            return new IOException(closedCause.getMessage(), closedCause);
        }
        return closing ? new IOException("the session is closing") : null;
    }

    private void await(Pending pending, CompletableFuture<Void> written, long startedAt, long timeoutMillis)
            throws IOException {
        try {
            if (timeoutMillis <= 0) {
                written.get(); // RemoteEndpoint.Async#setSendTimeout: "Non-positive values indicate an infinite timeout"
            } else {
                long left = TimeUnit.MILLISECONDS.toNanos(timeoutMillis) - (System.nanoTime() - startedAt);
                written.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            // What reached the wire is unknown now: the connection cannot carry another message.
            transport.abort();
            throw new SocketTimeoutException("send not completed within the send timeout of " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!withdraw(pending)) {
                // Taken: part of it may be on the wire, and a message cannot be cut short (RFC 6455 §5.4).
                transport.abort();
            }
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while sending"
                    + (pendingWasTaken(pending) ? "; the connection is aborted" : "; the message was not sent"));
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    /** Takes back a send that nobody has taken yet; false when it has been taken. */
    private boolean withdraw(Pending pending) {
        lock.lock();
        try {
            if (pending.taken) {
                return false;
            }
            if (continuation == pending) {
                continuation = null;
            } else if (waiting.remove(pending)) {
                waitingBytes -= pending.size();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean pendingWasTaken(Pending pending) {
        lock.lock();
        try {
            return pending.taken;
        } finally {
            lock.unlock();
        }
    }

    private static String name(Kind kind) {
        return kind == Kind.TEXT ? "text" : "binary";
    }

    /**
     * A send waiting for its turn: a message (part); with {@code close} set, what writes the close frame;
     * with {@code failure} set, a send that failed at once, to be reported after those before it.
     */
    private static final class Pending {
        private final Kind kind;
        private final ByteBuffer payload;
        private final boolean last;
        private final Runnable close;
        private final Throwable failure;
        private final Thread sender;
        private final Transport.WriteCompletion done;
        /** Whether the encoder has taken it; guarded by the channel's lock. */
        private boolean taken;

        Pending(Kind kind, ByteBuffer payload, boolean last, Runnable close, Thread sender,
                Transport.WriteCompletion done) {
            this(kind, payload, last, close, null, sender, done);
        }

        private Pending(Kind kind, ByteBuffer payload, boolean last, Runnable close, Throwable failure,
                        Thread sender, Transport.WriteCompletion done) {
            this.kind = kind;
            this.payload = payload;
            this.last = last;
            this.close = close;
            this.failure = failure;
            this.sender = sender;
            this.done = done;
        }

        /** A send that failed with {@code failure}: whoever completes it in its turn, it reports that failure. */
        static Pending failure(Throwable failure, Transport.WriteCompletion done) {
            return new Pending(null, null, true, null, failure, Thread.currentThread(),
                    ignored -> done.completed(failure));
        }

        /** Whether it is a message (part), as opposed to a close or a failure waiting for its turn. */
        boolean isMessage() {
            return close == null && failure == null;
        }

        Throwable failure() {
            return failure;
        }

        Kind kind() {
            return kind;
        }

        ByteBuffer payload() {
            return payload;
        }

        boolean last() {
            return last;
        }

        Runnable close() {
            return close;
        }

        Thread sender() {
            return sender;
        }

        Transport.WriteCompletion done() {
            return done;
        }

        long size() {
            return payload == null ? 0 : payload.remaining();
        }
    }
}
