package io.breakwater.servlet;

import io.breakwater.transport.Transport;
import io.breakwater.transport.TransportHandler;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link Transport} over an upgraded servlet connection in non-blocking mode (Servlet 6.1 §3.8 and
 * §5.7): input is read while {@link ServletInputStream#isReady()} says it can be, output is written
 * only after {@link ServletOutputStream#isReady()} returned {@code true}, and a flush completes once
 * the stream reports ready again after the bytes before it were written and flushed.
 *
 * <p>Calls to the {@link TransportHandler}, the flush completions and {@code onClosed} are made one at
 * a time; completions and {@code onClosed} are run on the executor (never inside the caller of
 * {@code flush} or {@code close}), in order.
 */
final class ServletTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(ServletTransport.class.getName());

    private final WebConnection connection;
    private final ServletInputStream in;
    private final ServletOutputStream out;
    private final Executor executor;
    private final SocketAddress local;
    private final SocketAddress remote;
    private final boolean secure;
    private volatile TransportHandler handler;

    /** Serializes the handler's calls. */
    private final Object handlerLock = new Object();
    /** Guards the output state and every call on the output stream. */
    private final Object outLock = new Object();
    /** Guards the input state and every call on the input stream. */
    private final Object inLock = new Object();

    private final WriteBacklog backlog = new WriteBacklog();
    private long confirmed;
    private long flushIssuedAt = -1;
    private boolean lastWasWrite;
    private boolean pumping;
    private boolean started;
    private boolean closeRequested;
    /**
     * The write listener is set: not ahead of time, but once there is something to write or the
     * connection is to close. Tomcat ends TCP only when one of its own threads, dispatching a read or
     * write event, finds both streams closed (UpgradeProcessorExternal.dispatch); a close on any other
     * thread only marks the streams, and TCP stays up until the peer sends again. A peer whose first
     * frame makes us close sends nothing more, and that frame, our Close reply and the close often run
     * on our callback thread (BreakwaterSession holds input that comes before onOpen has returned). The
     * first onWritePossible after setWriteListener is the one event a container delivers whatever the
     * peer does: kept until needed, it writes the reply and closes on a container thread. A close that
     * comes on another thread all the same has Tomcat's socket closed by {@link TomcatSocket}.
     */
    private boolean writeListenerSet;
    /** The container has made its first onWritePossible call: the output stream may be used. */
    private boolean writable;

    /** The read listener is set: the input stream may be used. */
    private boolean reading;
    private boolean suspended;
    private boolean endOfInput;
    private final byte[] readBuffer = new byte[16 * 1024];

    private final AtomicBoolean closed = new AtomicBoolean();
    private final TransportEvents events;
    /** On Tomcat, its socket: closed by us, since Tomcat would only on one of its own threads. Else null. */
    private final TomcatSocket tomcatSocket;

    ServletTransport(WebConnection connection, Executor executor, SocketAddress local, SocketAddress remote,
                     boolean secure) throws IOException {
        this.connection = connection;
        this.in = connection.getInputStream();
        this.out = connection.getOutputStream();
        this.executor = executor;
        this.events = new TransportEvents(executor);
        this.tomcatSocket = TomcatSocket.of(out);
        this.local = local;
        this.remote = remote;
        this.secure = secure;
    }

    /**
     * Starts reading and writing; the handler hears of the connection from now on. Until a listener is
     * set, its stream is not in non-blocking mode and must not be touched (Servlet 6.1 §5.7:
     * {@code isReady} without a listener is illegal; Tomcat fails the connection): a read started by
     * the session before this call (a resume after {@code onOpen}) waits for the read listener's first
     * call, and the output is used only from the write listener's first call on (see
     * {@link #writeListenerSet}).
     */
    void start(TransportHandler handler) {
        this.handler = handler;
        synchronized (inLock) {
            reading = true;
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() {
                    read();
                }

                @Override
                public void onAllDataRead() {
                    endOfInput();
                }

                @Override
                public void onError(Throwable t) {
                    fail(t);
                }
            });
        }
        synchronized (outLock) {
            started = true;
        }
        pump(); // what onOpen, running meanwhile, may have sent already
    }

    /** The container's write events: the first one makes the output stream usable. */
    private final class WriteEvents implements WriteListener {
        @Override
        public void onWritePossible() {
            synchronized (outLock) {
                writable = true;
            }
            pump();
        }

        @Override
        public void onError(Throwable t) {
            fail(t);
        }
    }

    // ------------------------------------------------------------------------------- input

    private void read() {
        while (true) {
            int n;
            synchronized (inLock) {
                if (closed.get() || !reading || suspended || endOfInput) {
                    return;
                }
                try {
                    if (!in.isReady()) {
                        return;
                    }
                    n = in.read(readBuffer);
                } catch (IOException | RuntimeException e) {
                    fail(e);
                    return;
                }
                if (n < 0) {
                    break;
                }
                if (n > 0) {
                    synchronized (handlerLock) {
                        if (!closed.get()) {
                            try {
                                handler.onData(ByteBuffer.wrap(readBuffer, 0, n));
                            } catch (RuntimeException e) {
                                LOG.log(Level.WARNING, "transport handler failed in onData", e);
                            }
                        }
                    }
                }
            }
        }
        endOfInput();
    }

    private void endOfInput() {
        synchronized (inLock) {
            if (endOfInput) {
                return;
            }
            endOfInput = true;
        }
        synchronized (handlerLock) {
            if (!closed.get()) {
                try {
                    handler.onEndOfInput();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "transport handler failed in onEndOfInput", e);
                }
            }
        }
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
        // onDataAvailable comes again only after isReady() said false: read what is there ourselves.
        executor.execute(this::read);
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
            events.post(() -> done.completed(failure));
            return;
        }
        pump();
    }

    @Override
    public long queuedBytes() {
        synchronized (outLock) {
            return backlog.unwritten();
        }
    }

    /**
     * Writes what is queued for as long as the stream is ready; never blocks. Before the write
     * listener's first call, only sets the listener, once there is something to do.
     */
    private void pump() {
        boolean setWriteListener = false;
        boolean closeNow = false;
        synchronized (outLock) {
            if (pumping || backlog.isClosed() || !started) {
                return;
            }
            if (!writable) {
                setWriteListener = !writeListenerSet
                        && (backlog.hasQueued() || backlog.hasFlushes() || closeRequested);
                writeListenerSet |= setWriteListener;
            } else {
                pumping = true;
                try {
                    closeNow = writeWhileReady();
                } catch (IOException | RuntimeException e) {
                    fail(e);
                    return;
                } finally {
                    pumping = false;
                }
            }
        }
        if (setWriteListener) {
            // Outside the lock: a container may call onWritePossible from within setWriteListener.
            try {
                out.setWriteListener(new WriteEvents());
            } catch (RuntimeException e) {
                fail(e); // the container closed the stream meanwhile
            }
        }
        if (closeNow) {
            terminate(null, new ClosedChannelException());
        }
    }

    /** With outLock held: the pump's loop; returns whether the connection is to close now. */
    private boolean writeWhileReady() throws IOException {
        while (true) {
            if (!out.isReady()) {
                return false;
            }
            // The stream is ready: every write and flush issued before is done.
            if (flushIssuedAt >= 0) {
                confirmed = Math.max(confirmed, flushIssuedAt);
                flushIssuedAt = -1;
            }
            for (WriteCompletion done : backlog.flushesDoneAt(confirmed)) {
                events.post(() -> done.completed(null));
            }
            ByteBuffer next = backlog.poll();
            if (next != null) {
                int length = next.remaining();
                if (next.hasArray()) {
                    out.write(next.array(), next.arrayOffset() + next.position(), length);
                    next.position(next.limit());
                } else {
                    byte[] copy = new byte[length];
                    next.get(copy);
                    out.write(copy);
                }
                backlog.written(length);
                lastWasWrite = true;
                continue;
            }
            if (lastWasWrite || backlog.hasFlushes()) {
                lastWasWrite = false;
                flushIssuedAt = backlog.writtenTotal();
                out.flush();
                continue;
            }
            if (closeRequested) {
                backlog.close();
                return true;
            }
            return false;
        }
    }

    @Override
    public void close() {
        synchronized (outLock) {
            closeRequested = true;
        }
        pump();
    }

    @Override
    public void abort() {
        terminate(null, new IOException("connection aborted"));
    }

    private void fail(Throwable failure) {
        terminate(failure, failure);
    }

    /** Closes the connection once: fails pending flushes, then tells the handler. */
    private void terminate(Throwable reported, Throwable flushFailure) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<WriteCompletion> pending;
        synchronized (outLock) {
            pending = backlog.abandon(flushFailure);
        }
        try {
            connection.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "closing the upgraded connection failed", e);
        }
        if (tomcatSocket != null) {
            // Tomcat ends TCP only within a container callback (see writeListenerSet); a close decided on
            // another thread, such as the close timeout's, would wait for the peer's next bytes. Every byte
            // is out of Tomcat's buffer by now: a graceful close comes once the stream said it was ready
            // with nothing left to write (writeWhileReady), and an abortive one drops what is left anyway.
            tomcatSocket.close();
        }
        events.closed(pending, flushFailure, () -> {
            synchronized (handlerLock) {
                handler.onClosed(reported);
            }
        });
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }
}
