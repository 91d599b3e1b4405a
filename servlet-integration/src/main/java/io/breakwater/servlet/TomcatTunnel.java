package io.breakwater.servlet;

import io.breakwater.transport.Transport;
import io.breakwater.transport.TransportHandler;
import jakarta.servlet.http.WebConnection;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * A {@link Transport} on the socket of a connection Tomcat upgraded ({@link TomcatUpgrade}), through
 * Tomcat's internal upgrade interface, the one its own WebSocket implementation uses: Tomcat delivers
 * socket events to {@link #upgradeDispatch}, and the transport reads and writes Tomcat's socket wrapper
 * directly, without the servlet streams in between.
 *
 * <p><b>Input.</b> Tomcat runs each event on one of its pool threads, holding the socket's lock, one event
 * at a time; input is read only there, so there is one reader without a lock of ours. A read event reads
 * until the socket has nothing more and returns {@code UPGRADED}, after which Tomcat asks its poller for
 * the next one. A suspended reader returns {@code SUSPENDED} instead, so nobody watches the socket (the
 * peer is held back by TCP), and a resume asks Tomcat for a read event. The thread may go on to run the
 * application's callbacks ({@link #mayRunApplicationCode()}), within the callback limit; writes and
 * their completions never need the socket's lock, so a callback that waits for its own send does not
 * hold anything up.
 *
 * <p><b>Output.</b> What is queued goes out as one gathering, non-blocking write at a time (the replies
 * of one read are one write); Tomcat finishes a write the socket could not take at once on its own
 * threads. Completions run where the write is seen to be done, the caller of {@code flush} included.
 *
 * <p><b>Ending TCP.</b> Tomcat recycles a socket's channel once it is closed, so the socket is closed only
 * under its lock, by Tomcat: a close decided within an event makes the event return {@code CLOSED};
 * one decided on another thread asks Tomcat for a {@code DISCONNECT} event, which returns the same.
 * {@code onClosed} runs on the transport events' executor, after the completions failed by the close.
 *
 * <p>Public, with a public constructor, because Tomcat instantiates it ({@code HttpServletRequest#upgrade});
 * loaded only when Tomcat's classes are visible ({@link UpgradeMechanism#forContext}).
 */
public final class TomcatTunnel implements InternalHttpUpgradeHandler, Transport {

    private static final Logger LOG = Logger.getLogger(TomcatTunnel.class.getName());
    /** No timeout of Tomcat's on writes: the session's send and close timeouts decide (-1: the socket's, infinite once upgraded). */
    private static final long SOCKET_WRITE_TIMEOUT = -1;

    private SessionOpening opening;
    private UpgradedAddresses addresses;
    private SocketWrapperBase<?> socket;
    private TransportEvents events;
    private volatile TransportHandler handler;

    /** Guards the input state below, for bookkeeping only. */
    private final Object inLock = new Object();
    private boolean suspended;
    /** A read event returned SUSPENDED: no event comes until a resume asks Tomcat for one. */
    private boolean parked;
    private boolean endOfInput;

    /** Guards the output state below; held for bookkeeping only, never across a call out. */
    private final Object outLock = new Object();
    private final WriteBacklog backlog = new WriteBacklog();
    /** A thread runs {@link #pump}: it alone decides, completes flushes and starts writes. */
    private boolean pumping;
    /** Bytes of the write under way, or -1 when none is. */
    private long inFlight = -1;
    private boolean closeRequested;
    private final WriteDone writeDone = new WriteDone();

    private final AtomicBoolean closed = new AtomicBoolean();

    /** Instantiated by Tomcat. */
    public TomcatTunnel() {
    }

    /** Called by {@link TomcatUpgrade} after {@code request.upgrade(...)} returned, before {@link #init}. */
    void prepare(SessionOpening opening, UpgradedAddresses addresses) {
        this.opening = opening;
        this.addresses = addresses;
        this.events = new TransportEvents(opening.executor());
    }

    @Override
    public void setSocketWrapper(SocketWrapperBase<?> wrapper) {
        this.socket = wrapper;
    }

    /**
     * Runs on Tomcat's thread once the 101 is written, holding the socket's lock; Tomcat then delivers a
     * read event at once, for the bytes it had read past the request head.
     */
    @Override
    public void init(WebConnection connection) {
        if (opening == null) {
            closed.set(true); // the first event returns CLOSED
            return;
        }
        handler = opening.open(this);
    }

    @Override
    public SocketState upgradeDispatch(SocketEvent event) {
        switch (event) {
            case OPEN_READ:
                return readWhileWanted();
            case OPEN_WRITE:
                // Writes are Tomcat's asynchronous operations, which its poller completes without this event.
                break;
            case STOP:
                fail(new IOException("Tomcat's connector is stopping"));
                break;
            case TIMEOUT:
                fail(new SocketTimeoutException("Tomcat timed the connection out"));
                break;
            case DISCONNECT:
                // Asked for by terminate, or Tomcat's own: either way the socket closes now.
                terminate(null, new ClosedChannelException());
                break;
            case ERROR:
            case CONNECT_FAIL:
            default:
                IOException error = socket.getError();
                fail(error != null ? error : new IOException("socket " + event));
                break;
        }
        return stateAfterEvent();
    }

    /** What Tomcat does with the socket after an event that read nothing. */
    private SocketState stateAfterEvent() {
        if (closed.get()) {
            return SocketState.CLOSED;
        }
        synchronized (inLock) {
            // A read event is due, unless the reader is parked or the input has ended (a peer's FIN stays
            // readable: watching for it again would deliver it forever).
            return parked || endOfInput ? SocketState.SUSPENDED : SocketState.UPGRADED;
        }
    }

    // ------------------------------------------------------------------------------- input

    /** A read event: reads while there are bytes and the handler wants them. */
    private SocketState readWhileWanted() {
        ByteBuffer buffer = ReadBuffer.take();
        try {
            while (true) {
                synchronized (inLock) {
                    if (closed.get()) {
                        return SocketState.CLOSED;
                    }
                    if (endOfInput) {
                        return SocketState.SUSPENDED;
                    }
                    if (suspended) {
                        parked = true;
                        return SocketState.SUSPENDED;
                    }
                }
                // The handler is done with the bytes when onData returns (it copies what it keeps).
                buffer.clear();
                int n = socket.read(false, buffer);
                if (n > 0) {
                    deliver(buffer.flip());
                } else if (n < 0) {
                    synchronized (inLock) {
                        endOfInput = true;
                    }
                    callHandler(TransportHandler::onEndOfInput, "onEndOfInput");
                    return stateAfterEvent();
                } else {
                    return closed.get() ? SocketState.CLOSED : SocketState.UPGRADED;
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
            return SocketState.CLOSED;
        } finally {
            ReadBuffer.give(buffer);
        }
    }

    private void deliver(ByteBuffer data) {
        callHandler(current -> current.onData(data), "onData");
    }

    /** No lock is held across input calls: the handler may run application code in them. */
    private void callHandler(java.util.function.Consumer<TransportHandler> call, String what) {
        if (closed.get()) {
            return;
        }
        TransportCallOuts.callHandler(LOG, handler, call, what);
    }

    /**
     * True: Tomcat's pool threads are there for work that blocks, and a write never needs the thread that
     * read, nor the socket's lock it holds. The callback limit keeps a share of the pool for everything else.
     */
    @Override
    public boolean mayRunApplicationCode() {
        return true;
    }

    /** Takes effect before the reader's next read; never waits. */
    @Override
    public void suspendReading() {
        synchronized (inLock) {
            suspended = true;
        }
    }

    /** Never reads here: the caller may hold locks that onData takes. A parked reader gets a read event. */
    @Override
    public void resumeReading() {
        boolean dispatch;
        synchronized (inLock) {
            if (!suspended) {
                return;
            }
            suspended = false;
            dispatch = parked;
            parked = false;
        }
        if (dispatch) {
            socket.processSocket(SocketEvent.OPEN_READ, true);
        }
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
        pump();
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
        pump();
    }

    @Override
    public void abort() {
        terminate(null, new IOException("connection aborted"));
    }

    /**
     * Completes the flushes whose bytes are written, starts the next write, and closes once everything is
     * written if asked to; each step is decided under the lock and done outside it. One thread pumps at a
     * time, so completions run in order; one that finds another pumping leaves the work to it, which
     * looks at the state once more before it stops.
     */
    private void pump() {
        synchronized (outLock) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        while (true) {
            List<WriteCompletion> done;
            ByteBuffer[] batch = null;
            boolean closeNow = false;
            synchronized (outLock) {
                if (backlog.isClosed()) {
                    pumping = false;
                    return;
                }
                done = backlog.flushesDoneAt(backlog.writtenTotal());
                if (inFlight < 0 && backlog.hasQueued()) {
                    batch = backlog.pollAll();
                    inFlight = 0;
                    for (ByteBuffer buffer : batch) {
                        inFlight += buffer.remaining();
                    }
                } else if (inFlight < 0 && closeRequested) {
                    backlog.close();
                    closeNow = true;
                }
                if (done.isEmpty() && batch == null && !closeNow) {
                    pumping = false;
                    return;
                }
            }
            for (WriteCompletion completion : done) {
                complete(completion, null);
            }
            if (closeNow) {
                terminate(null, new ClosedChannelException());
            } else if (batch != null) {
                // May complete on this thread, before it returns: writeDone then finds this thread pumping.
                socket.write(SocketWrapperBase.BlockingMode.NON_BLOCK, SOCKET_WRITE_TIMEOUT, TimeUnit.MILLISECONDS,
                        null, SocketWrapperBase.COMPLETE_WRITE_WITH_COMPLETION, writeDone, batch);
            }
        }
    }

    /** Tomcat's answer to a write: every byte written (on this thread or one of Tomcat's), or a failure. */
    private final class WriteDone implements CompletionHandler<Long, Void> {
        @Override
        public void completed(Long bytes, Void nothing) {
            synchronized (outLock) {
                backlog.written(inFlight);
                inFlight = -1;
            }
            pump();
        }

        @Override
        public void failed(Throwable failure, Void nothing) {
            fail(failure instanceof EOFException ? new ClosedChannelException() : failure);
        }
    }

    private static void complete(WriteCompletion done, Throwable failure) {
        TransportCallOuts.complete(LOG, done, failure);
    }

    // ------------------------------------------------------------------------------- closing

    /** Tomcat is done with the connection (it closed the socket, or an event returned CLOSED). */
    @Override
    public void destroy() {
        terminate(null, new ClosedChannelException());
    }

    private void fail(Throwable failure) {
        terminate(failure, failure);
    }

    /** Closes the connection once: fails pending flushes, has Tomcat close the socket, then tells the handler. */
    private void terminate(Throwable reported, Throwable flushFailure) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<WriteCompletion> pending;
        synchronized (outLock) {
            pending = backlog.abandon(flushFailure);
        }
        if (socket != null && !socket.isClosed() && !socket.getLock().isHeldByCurrentThread()) {
            // Within an event of this socket (this thread holds its lock), the event returns CLOSED instead.
            socket.processSocket(SocketEvent.DISCONNECT, true);
        }
        for (WriteCompletion done : pending) {
            complete(done, flushFailure);
        }
        // Posted, not called: a close can be found inside a call the session makes with its engine
        // locked (a write that fails), and onClosed must not re-enter the engine there.
        TransportHandler current = handler;
        if (current != null) {
            events.post(() -> current.onClosed(reported));
        }
    }

    @Override
    public void timeoutAsync(long now) {
        // The session keeps its own deadlines (idle, keepalive, send and close timeouts).
    }

    @Override
    public void pause() {
        // The application's stop closes its sessions with 1001 (BreakwaterServletContainerInitializer).
    }

    @Override
    public void setSslSupport(SSLSupport sslSupport) {
        // isSecure comes from the request.
    }

    @Override
    public SocketAddress localAddress() {
        return addresses.local();
    }

    @Override
    public SocketAddress remoteAddress() {
        return addresses.remote();
    }

    @Override
    public boolean isSecure() {
        return addresses.secure();
    }

    /**
     * One read buffer per Tomcat thread, lent to the read event it runs: an idle connection holds none (a
     * buffer of its own would be most of an idle connection's memory), and a read of Tomcat's fills it
     * straight from the socket, since it is larger than the socket's own read buffer. Taken, not
     * shared: should a read event ever run inside another on the same thread, the inner one gets its own.
     */
    private static final class ReadBuffer {
        private static final int SIZE = 16 * 1024;
        private static final ThreadLocal<ByteBuffer> LENT = new ThreadLocal<>();

        static ByteBuffer take() {
            ByteBuffer buffer = LENT.get();
            if (buffer == null) {
                return ByteBuffer.allocate(SIZE);
            }
            LENT.remove();
            return buffer;
        }

        static void give(ByteBuffer buffer) {
            LENT.set(buffer);
        }
    }
}
