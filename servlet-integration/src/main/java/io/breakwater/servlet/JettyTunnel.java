package io.breakwater.servlet;

import io.breakwater.transport.Transport;
import io.breakwater.transport.TransportHandler;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadPendingException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * A {@link Transport} over the socket of an upgraded Jetty connection ({@link JettyUpgrade}): reads when
 * Jetty says the socket is readable, writes the queued buffers as one gathering write at a time.
 *
 * <p>Input is read on Jetty's pool threads, which may go on to run the application's callbacks
 * ({@link #mayRunApplicationCode()}): Jetty's threads are there for work that blocks. Flush completions
 * run where the write is seen to be done, the caller of {@code flush} included; {@code onClosed} runs on
 * the transport events' executor, after the completions failed by the close.
 */
final class JettyTunnel extends AbstractConnection implements Connection.UpgradeTo, Transport {

    private static final Logger LOG = Logger.getLogger(JettyTunnel.class.getName());
    private static final int READ_BUFFER_SIZE = 16 * 1024;

    private final SessionOpening opening;
    private final TransportEvents events;
    private volatile TransportHandler handler;

    /** Bytes Jetty read past the request head before the upgrade: the first of the WebSocket stream. */
    private ByteBuffer leftover;
    /**
     * Jetty's pool, for the read buffer: taken for one read loop and given back when it ends, so an idle
     * connection holds no buffer (a buffer of its own would be most of an idle connection's memory).
     */
    private final ByteBufferPool buffers;
    /** Guards the input state. */
    private final Object inLock = new Object();
    private boolean reading;
    private boolean readAgain;
    private boolean suspended;
    private boolean endOfInput;

    /** Guards the output state. */
    private final Object outLock = new Object();
    private final WriteBacklog backlog = new WriteBacklog();
    private final Flusher flusher = new Flusher();
    private long inFlight;
    private boolean closeRequested;

    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param jettyThreads the connector's pool, which reads (resumed reading included) and runs what the
     *                     input calls for, as Jetty's own threads do for every connection
     */
    JettyTunnel(EndPoint endPoint, Executor jettyThreads, ByteBufferPool buffers, SessionOpening opening) {
        super(endPoint, jettyThreads);
        this.buffers = buffers;
        this.opening = opening;
        this.events = new TransportEvents(opening.executor());
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        if (buffer != null && buffer.hasRemaining()) {
            // Jetty reuses its buffer once this returns.
            leftover = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        // The WebSocket idle time is the session's (Session#setMaxIdleTimeout, 0 by default as WebSocket 2.2
        // has it), not the HTTP connector's (30 s in Jetty, meant for requests, which would end every quiet
        // WebSocket connection). A peer that vanished is noticed by the session's keepalive instead
        // (io.breakwater.api.Keepalive: a ping after 30 s without input, a close when nothing answers it).
        getEndPoint().setIdleTimeout(0);
        handler = opening.open(this);
        ByteBuffer first = leftover;
        leftover = null;
        if (first != null) {
            deliver(first);
        }
        readLoop();
    }

    // ------------------------------------------------------------------------------- input

    @Override
    public void onFillable() {
        readLoop();
    }

    /** Reads while there are bytes and the handler wants them; one loop at a time. */
    private void readLoop() {
        synchronized (inLock) {
            if (reading) {
                readAgain = true;
                return;
            }
            reading = true;
        }
        RetainableByteBuffer buffer = buffers.acquire(READ_BUFFER_SIZE, false);
        try {
            ByteBuffer readBuffer = buffer.getByteBuffer();
            while (true) {
                synchronized (inLock) {
                    if (suspended || endOfInput || closed.get()) {
                        reading = false;
                        return;
                    }
                }
                // The handler is done with the bytes when onData returns (it copies what it keeps).
                BufferUtil.clear(readBuffer);
                int n = getEndPoint().fill(readBuffer);
                if (n > 0) {
                    deliver(readBuffer);
                    continue;
                }
                if (n < 0) {
                    synchronized (inLock) {
                        reading = false;
                        endOfInput = true;
                    }
                    callHandler(current -> current.onEndOfInput(), "onEndOfInput");
                    return;
                }
                synchronized (inLock) {
                    if (readAgain) {
                        readAgain = false;
                        continue;
                    }
                    reading = false;
                }
                try {
                    fillInterested();
                } catch (ReadPendingException alreadyInterested) {
                    // a loop started by resumeReading registered first: the next onFillable is already due
                }
                return;
            }
        } catch (IOException | RuntimeException e) {
            synchronized (inLock) {
                reading = false;
            }
            fail(e);
        } finally {
            buffer.release();
        }
    }

    private void deliver(ByteBuffer data) {
        callHandler(current -> current.onData(data), "onData");
    }

    /**
     * Input calls come one at a time from the read loop. No lock is held across them: the handler may run
     * application code in them, which must not delay {@code onClosed} or the completions of other calls.
     */
    private void callHandler(java.util.function.Consumer<TransportHandler> call, String what) {
        if (closed.get()) {
            return;
        }
        TransportCallOuts.callHandler(LOG, handler, call, what);
    }

    @Override
    public boolean mayRunApplicationCode() {
        return true;
    }

    @Override
    public void suspendReading() {
        synchronized (inLock) {
            suspended = true;
        }
    }

    @Override
    public void resumeReading() {
        synchronized (inLock) {
            if (!suspended) {
                return;
            }
            suspended = false;
        }
        getExecutor().execute(this::readLoop);
    }

    @Override
    protected boolean onReadTimeout(TimeoutException timeout) {
        return false;
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        return false;
    }

    // ------------------------------------------------------------------------------- output

    @Override
    public void write(ByteBuffer header, ByteBuffer payload) {
        synchronized (outLock) {
            backlog.add(header, payload);
        }
    }

    @Override
    public void flush(WriteCompletion done) {
        Throwable failure;
        synchronized (outLock) {
            failure = backlog.addFlush(done);
        }
        if (failure != null) {
            complete(done, failure);
            return;
        }
        flusher.iterate();
    }

    @Override
    public long queuedBytes() {
        synchronized (outLock) {
            return backlog.unwritten();
        }
    }

    @Override
    public void close() {
        synchronized (outLock) {
            closeRequested = true;
        }
        flusher.iterate();
    }

    @Override
    public void abort() {
        terminate(null, new IOException("connection aborted"), true);
    }

    /** Writes what is queued, one gathering write at a time; closes once drained if asked to. */
    private final class Flusher extends IteratingCallback {
        @Override
        protected Action process() {
            ByteBuffer[] batch = null;
            boolean closeNow = false;
            List<WriteCompletion> done;
            synchronized (outLock) {
                backlog.written(inFlight);
                inFlight = 0;
                done = backlog.flushesDoneAt(backlog.writtenTotal());
                if (backlog.hasQueued()) {
                    batch = backlog.pollAll();
                    for (ByteBuffer buffer : batch) {
                        inFlight += buffer.remaining();
                    }
                } else if (closeRequested && !backlog.isClosed()) {
                    backlog.close();
                    closeNow = true;
                }
            }
            for (WriteCompletion completion : done) {
                complete(completion, null);
            }
            if (batch != null) {
                getEndPoint().write(this, batch);
                return Action.SCHEDULED;
            }
            if (closeNow) {
                terminate(null, new ClosedChannelException(), false);
            }
            return Action.IDLE;
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            fail(cause);
        }

        /**
         * Process only queues writes and runs completions, which never block (Transport#flush): Jetty may
         * call it back on its selector thread, rather than hand each finished write to a pool thread.
         */
        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    private static void complete(WriteCompletion done, Throwable failure) {
        TransportCallOuts.complete(LOG, done, failure);
    }

    // ------------------------------------------------------------------------------- closing

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        terminate(cause, cause != null ? cause : new ClosedChannelException(), false);
    }

    private void fail(Throwable failure) {
        terminate(failure, failure, true);
    }

    /** Closes the connection once: fails pending flushes, then tells the handler. */
    private void terminate(Throwable reported, Throwable flushFailure, boolean abortive) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<WriteCompletion> pending;
        synchronized (outLock) {
            pending = backlog.abandon(flushFailure);
        }
        if (abortive) {
            getEndPoint().close(flushFailure);
        } else {
            getEndPoint().close();
        }
        for (WriteCompletion done : pending) {
            complete(done, flushFailure);
        }
        // Posted, not called: a close can be found inside a call the session makes with its engine
        // locked (a write that fails), and onClosed must not re-enter the engine there.
        events.post(() -> {
            TransportHandler current = handler;
            if (current != null) {
                current.onClosed(reported);
            }
        });
    }

    @Override
    public SocketAddress localAddress() {
        return getEndPoint().getLocalSocketAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return getEndPoint().getRemoteSocketAddress();
    }

    @Override
    public boolean isSecure() {
        return getEndPoint().isSecure();
    }
}
