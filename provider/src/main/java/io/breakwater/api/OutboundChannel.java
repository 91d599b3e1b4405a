package io.breakwater.api;

import io.breakwater.protocol.CloseStatus;
import io.breakwater.protocol.Connection;
import io.breakwater.transport.Transport;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
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
 * <p>A message sent whole is written at once unless others wait ahead of it. A message sent in parts
 * holds the data channel from its first part to its last: whole messages and first parts sent
 * meanwhile wait in a queue, and go out, in order, as soon as it ends. Pings and pongs never wait
 * (control frames may come between fragments, §5.4); a close waits only for the messages queued
 * before it.
 *
 * <p>Nothing grows without bound: a send that does not block fails at once when the bytes waiting
 * and the bytes the transport has not yet written pass {@code maxQueuedBytes}; a blocking send waits
 * for its turn and for its bytes to be written, up to the send timeout, after which the connection is
 * aborted, since what is on the wire by then is unknown.
 *
 * <p>The engine is guarded by {@code engineLock}, shared with the inbound side that feeds it.
 */
final class OutboundChannel {

    /** What to send: a message type of {@link Connection}'s data frames. */
    enum Kind {
        TEXT,
        BINARY
    }

    private final ReentrantLock engineLock;
    private final Connection connection;
    private final Transport transport;
    private final long maxQueuedBytes;

    /** Sends waiting for the data channel, in the order they were made. */
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private long waitingBytes;
    /** The type of the message whose last part is still to come, or null when the channel is free. */
    private Kind unfinished;
    /** The thread that sent the unfinished message's latest part: a whole send from it could never proceed. */
    private Thread unfinishedSender;
    /** Whether a close was asked for: new messages are refused, the parts of an unfinished one still go. */
    private boolean closing;
    /** Why sending is over (close frame written, connection gone), or null while open. */
    private IOException closedCause;

    OutboundChannel(ReentrantLock engineLock, Connection connection, Transport transport, long maxQueuedBytes) {
        this.engineLock = engineLock;
        this.connection = connection;
        this.transport = transport;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /**
     * Sends a whole message without blocking; {@code done} is called once its bytes are written, or
     * with the reason they never will be (a full queue, a closed session).
     */
    void sendAsync(Kind kind, ByteBuffer payload, Transport.WriteCompletion done) {
        IOException refused;
        engineLock.lock();
        try {
            refused = refusal(payload.remaining());
            if (refused == null) {
                enqueue(new Pending(kind, payload, true, null, Thread.currentThread(), done));
                return;
            }
        } finally {
            engineLock.unlock();
        }
        done.completed(refused);
    }

    /**
     * Hands a whole message to the engine without flushing the transport: it goes out with the next
     * flush, which the caller makes (see {@link BreakwaterSession#replyWithRead}).
     *
     * @return false, having sent nothing, when the message cannot go at once: another waits ahead of it or
     *         is being sent in parts, the session is closing, or the bytes not yet written would pass the
     *         queue limit; the caller then sends it the usual way
     */
    boolean writeUnflushed(Kind kind, ByteBuffer payload) {
        engineLock.lock();
        try {
            if (closedCause != null || closing || unfinished != null || !waiting.isEmpty()
                    || transport.queuedBytes() + payload.remaining() > maxQueuedBytes) {
                return false;
            }
            if (kind == Kind.TEXT) {
                connection.sendText(payload, true);
            } else {
                connection.sendBinary(payload, true);
            }
            return true;
        } catch (IllegalStateException closed) {
            return false; // the engine has closed; the usual send reports it
        } finally {
            engineLock.unlock();
        }
    }

    /**
     * Sends a whole message or one part of one, blocking until it is written.
     *
     * @param continuation whether this is the next part of the unfinished message (it then never waits)
     * @throws IllegalStateException when the calling thread itself holds an unfinished message that this
     *                               send would have to wait for
     */
    void sendBlocking(Kind kind, ByteBuffer payload, boolean last, boolean continuation, long timeoutMillis)
            throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        CompletableFuture<Void> written = new CompletableFuture<>();
        Transport.WriteCompletion done = failure -> {
            if (failure == null) {
                written.complete(null);
            } else {
                written.completeExceptionally(failure);
            }
        };
        engineLock.lock();
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
                write(kind, payload, last, Thread.currentThread(), done);
                drain();
            } else {
                if (unfinished != null && unfinishedSender == Thread.currentThread()) {
                    throw new IllegalStateException("this thread is sending a " + name(unfinished)
                            + " message in parts; send its last part first");
                }
                enqueue(new Pending(kind, payload, last, null, Thread.currentThread(), done));
            }
        } finally {
            engineLock.unlock();
        }
        await(written, deadline, timeoutMillis);
    }

    /** Sends a ping or pong now, between the fragments of an unfinished message if need be. */
    void sendControl(boolean ping, ByteBuffer payload) throws IOException {
        engineLock.lock();
        try {
            if (closedCause != null) {
                throw new IOException(closedCause.getMessage(), closedCause);
            }
            if (ping) {
                connection.sendPing(payload);
            } else {
                connection.sendPong(payload);
            }
        } finally {
            engineLock.unlock();
        }
        transport.flush(failure -> { });
    }

    /**
     * Queues the close frame behind the messages already waiting; later sends fail. {@code done} is
     * called once the close frame is written.
     */
    void close(CloseStatus status, Transport.WriteCompletion done) {
        engineLock.lock();
        try {
            if (closing || closedCause != null) {
                done.completed(null); // the first close wins
                return;
            }
            closing = true;
            enqueue(new Pending(null, null, true, status, Thread.currentThread(), done));
        } finally {
            engineLock.unlock();
        }
    }

    /** The connection is gone: every waiting send fails with {@code cause}, and so does every later one. */
    void terminate(IOException cause) {
        ArrayDeque<Pending> failed;
        engineLock.lock();
        try {
            closedCause = cause;
            failed = new ArrayDeque<>(waiting);
            waiting.clear();
            waitingBytes = 0;
            unfinished = null;
            unfinishedSender = null;
        } finally {
            engineLock.unlock();
        }
        for (Pending pending : failed) {
            pending.done().completed(cause);
        }
    }

    /** Bytes accepted and not yet written: waiting here, or queued in the transport. */
    long queuedBytes() {
        engineLock.lock();
        try {
            return waitingBytes + transport.queuedBytes();
        } finally {
            engineLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------

    /** Why a new message that does not block cannot be accepted now, or null. */
    private IOException refusal(int bytes) {
        IOException closed = closedRefusal();
        if (closed != null) {
            return closed;
        }
        long queued = waitingBytes + transport.queuedBytes();
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

    private void enqueue(Pending pending) {
        waiting.add(pending);
        waitingBytes += pending.size();
        drain();
    }

    /** Writes waiting sends in order while the data channel is free. */
    private void drain() {
        while (!waiting.isEmpty()) {
            Pending next = waiting.peek();
            if (next.close() == null && unfinished != null) {
                return; // a data message waits for the unfinished one to end; a close need not (§5.4)
            }
            waiting.poll();
            waitingBytes -= next.size();
            if (next.close() != null) {
                connection.close(next.close());
                closedCause = new IOException("the close frame has been sent");
                transport.flush(next.done());
                failRemaining(closedCause);
                return;
            }
            write(next.kind(), next.payload(), next.last(), next.sender(), next.done());
        }
    }

    private void failRemaining(IOException cause) {
        for (Pending pending : waiting) {
            pending.done().completed(cause);
        }
        waiting.clear();
        waitingBytes = 0;
    }

    /**
     * Hands one message or part to the engine. Completions of failed sends are called under the engine
     * lock: the session's completions only hand results on to the application's executor.
     */
    private void write(Kind kind, ByteBuffer payload, boolean last, Thread sender, Transport.WriteCompletion done) {
        try {
            if (kind == Kind.TEXT) {
                connection.sendText(payload, last);
            } else {
                connection.sendBinary(payload, last);
            }
        } catch (IllegalStateException closed) {
            done.completed(new IOException("the session is closed", closed));
            return;
        }
        if (last) {
            unfinished = null;
            unfinishedSender = null;
        } else {
            unfinished = kind;
            unfinishedSender = sender;
        }
        transport.flush(done);
    }

    private void await(CompletableFuture<Void> written, long deadline, long timeoutMillis) throws IOException {
        try {
            written.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // What reached the wire is unknown now: the connection cannot carry another message.
            transport.abort();
            throw new SocketTimeoutException("send not completed within the send timeout of " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending", e);
        }
    }

    private static String name(Kind kind) {
        return kind == Kind.TEXT ? "text" : "binary";
    }

    /** A send waiting for the data channel: a message (part) or, with {@code close} set, the close frame. */
    private record Pending(Kind kind, ByteBuffer payload, boolean last, CloseStatus close, Thread sender,
                           Transport.WriteCompletion done) {
        long size() {
            return payload == null ? 0 : payload.remaining();
        }
    }
}
