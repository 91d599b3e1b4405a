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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link Transport} over an upgraded servlet connection in non-blocking mode (Servlet 6.1 §3.8 and
 * §5.7): input is read while {@link ServletInputStream#isReady()} says it can be, output is written
 * only after {@link ServletOutputStream#isReady()} returned {@code true}, and a flush completes once
 * the stream reports ready again after the bytes before it were written and flushed.
 *
 * <p>No lock of this class is held while it calls the handler or a stream of the container: either may
 * call back into the transport on another thread, or the handler may hold locks of its own while it
 * calls the transport (a session suspends and resumes reading with its monitors held). The input has
 * one reader at a time, chosen by {@link ReadTurns} without a lock, and the output one writer at a
 * time, chosen under {@link #outLock}, which guards only bookkeeping.
 *
 * <p>Input calls to the {@link TransportHandler} come one at a time from the reader. Flush completions
 * and {@code onClosed} run on the executor (never inside the caller of {@code flush} or {@code close}),
 * one at a time, in order; {@code onClosed} may come while an input call is under way.
 */
final class ServletTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(ServletTransport.class.getName());

    private final WebConnection connection;
    private final ServletInputStream in;
    private final ServletOutputStream out;
    private final Executor executor;
    private final UpgradedAddresses addresses;
    private volatile TransportHandler handler;

    /** Who reads, and whether reading is suspended; the reader alone uses {@link #in} and the read buffer. */
    private final ReadTurns turns = new ReadTurns();
    private final byte[] readBuffer = new byte[16 * 1024];

    /** Guards the output state below; held for bookkeeping only, never across a call out. */
    private final Object outLock = new Object();
    private final WriteBacklog backlog = new WriteBacklog();
    private long confirmed;
    private long flushIssuedAt = -1;
    private boolean lastWasWrite;
    /** A thread is the writer: it alone uses {@link #out}, outside the lock. */
    private boolean writing;
    /** Asked to write while the writer ran: it looks at the stream once more before it stops. */
    private boolean writeAgain;
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

    private final AtomicBoolean closed = new AtomicBoolean();
    private final TransportEvents events;
    /**
     * On Tomcat, its socket: closed by us, since Tomcat would only on one of its own threads, and asked
     * for a read event on resume, since only Tomcat's own threads may read. Else null.
     */
    private final TomcatSocket tomcatSocket;

    ServletTransport(WebConnection connection, Executor executor, UpgradedAddresses addresses) throws IOException {
        this.connection = connection;
        this.in = connection.getInputStream();
        this.out = connection.getOutputStream();
        this.executor = executor;
        this.events = new TransportEvents(executor);
        this.tomcatSocket = TomcatSocket.of(out);
        this.addresses = addresses;
    }

    /**
     * Starts reading and writing; the handler hears of the connection from now on. Until a listener is
     * set, its stream is not in non-blocking mode and must not be touched (Servlet 6.1 §5.7:
     * {@code isReady} without a listener is illegal; Tomcat fails the connection): the first read turn
     * is held here until the read listener is set, so a resume that comes first (after {@code onOpen})
     * reads nothing, and the output is used only from the write listener's first call on (see
     * {@link #writeListenerSet}).
     */
    void start(TransportHandler handler) {
        this.handler = handler;
        try {
            // Outside any lock: a container may call the listener from within setReadListener.
            in.setReadListener(new ReadEvents());
        } catch (RuntimeException e) {
            fail(e); // the container closed the connection meanwhile
            return;
        }
        synchronized (outLock) {
            started = true;
        }
        pump(); // what onOpen, running meanwhile, may have sent already
        // From now on the container calls onDataAvailable when there is input; one that came already
        // asked the turn this thread holds.
        if (!turns.stopUnlessAsked()) {
            readLoop();
        }
    }

    /** The container's read events: each one offers a read turn. */
    private final class ReadEvents implements ReadListener {
        @Override
        public void onDataAvailable() {
            if (turns.offer()) {
                readLoop();
            }
        }

        @Override
        public void onAllDataRead() {
            if (turns.offerEnd()) {
                readLoop();
            }
        }

        @Override
        public void onError(Throwable t) {
            fail(t);
        }
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

    /**
     * The reader's loop, run by the thread that got the turn: within a read event of the container, or
     * on the executor after a resume (not on Tomcat, see {@link #resumeReading}). Reads only after {@code isReady()} returned true, as Tomcat
     * requires outside its own read events.
     */
    private void readLoop() {
        try {
            while (true) {
                switch (turns.next()) {
                    case STOP:
                        return;
                    case REPORT_END:
                        endOfInput();
                        return;
                    case READ:
                        break;
                }
                if (!in.isReady()) {
                    // The container calls onDataAvailable once there is input; one that came meanwhile
                    // found this reader running and asked it to look again.
                    if (turns.stopUnlessAsked()) {
                        return;
                    }
                    continue;
                }
                int n = in.read(readBuffer);
                if (n < 0) {
                    turns.ended();
                } else if (n > 0) {
                    deliver(n);
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void deliver(int length) {
        if (closed.get()) {
            return;
        }
        ByteBuffer data = ByteBuffer.wrap(readBuffer, 0, length);
        TransportCallOuts.callHandler(LOG, handler, current -> current.onData(data), "onData");
    }

    private void endOfInput() {
        if (closed.get()) {
            return;
        }
        TransportCallOuts.callHandler(LOG, handler, TransportHandler::onEndOfInput, "onEndOfInput");
    }

    /** Takes effect when the reader's current call returns; never waits for it. */
    @Override
    public void suspendReading() {
        turns.suspend();
    }

    /** Never waits: where no reader runs, the executor gets one (on Tomcat, a read event of Tomcat's). */
    @Override
    public void resumeReading() {
        if (tomcatSocket != null) {
            // Tomcat's read events may fill its read buffer while another thread reads it: a reader runs
            // only within them (TomcatSocket).
            if (turns.resumeForEvent()) {
                tomcatSocket.dispatchRead();
            }
            return;
        }
        if (!turns.resume()) {
            return;
        }
        // The container calls onDataAvailable again only after isReady() said false, which a suspended
        // reader does not ask: read what is there. On the executor, since the caller may hold locks that
        // the handler's onData takes.
        try {
            executor.execute(this::readLoop);
        } catch (RejectedExecutionException stopped) {
            LOG.log(Level.FINE, "reading not resumed: the application's threads have stopped", stopped);
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
            if (failure != null) {
                // Queued under the lock, behind the completions decided before it: they run in order.
                events.queue(() -> done.completed(failure));
            }
        }
        if (failure != null) {
            events.run();
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

    /** What a call of {@link #pump} leaves its thread to do. */
    private enum Claim {
        NOTHING,
        SET_WRITE_LISTENER,
        WRITE
    }

    /**
     * Writes what is queued for as long as the stream is ready; never blocks. Before the write
     * listener's first call, only sets the listener, once there is something to do. While another
     * thread writes, has it look once more instead.
     */
    private void pump() {
        switch (claimOutput()) {
            case SET_WRITE_LISTENER -> {
                try {
                    // Outside the lock: a container may call onWritePossible from within setWriteListener.
                    out.setWriteListener(new WriteEvents());
                } catch (RuntimeException e) {
                    fail(e); // the container closed the stream meanwhile
                }
            }
            case WRITE -> writeWhileReady();
            case NOTHING -> { }
        }
    }

    private Claim claimOutput() {
        synchronized (outLock) {
            if (backlog.isClosed() || !started) {
                return Claim.NOTHING;
            }
            if (!writable) {
                boolean setWriteListener = !writeListenerSet
                        && (backlog.hasQueued() || backlog.hasFlushes() || closeRequested);
                writeListenerSet |= setWriteListener;
                return setWriteListener ? Claim.SET_WRITE_LISTENER : Claim.NOTHING;
            }
            if (writing) {
                writeAgain = true;
                return Claim.NOTHING;
            }
            writing = true;
            return Claim.WRITE;
        }
    }

    /** The writer's loop: each step is decided under the lock and done outside it. */
    private void writeWhileReady() {
        try {
            while (true) {
                if (!out.isReady()) {
                    // The container calls onWritePossible once the stream is ready; one that came meanwhile,
                    // or new output, found this writer running and asked it to look again.
                    synchronized (outLock) {
                        if (!writeAgain) {
                            writing = false;
                            return;
                        }
                        writeAgain = false;
                    }
                    continue;
                }
                ByteBuffer next;
                boolean flush = false;
                boolean closeNow = false;
                synchronized (outLock) {
                    writeAgain = false; // what was asked before is in the state looked at here
                    if (backlog.isClosed()) {
                        writing = false;
                        return;
                    }
                    // The stream is ready: every write and flush issued before is done.
                    if (flushIssuedAt >= 0) {
                        confirmed = Math.max(confirmed, flushIssuedAt);
                        flushIssuedAt = -1;
                    }
                    for (WriteCompletion done : backlog.flushesDoneAt(confirmed)) {
                        events.queue(() -> done.completed(null));
                    }
                    next = backlog.poll();
                    if (next != null) {
                        lastWasWrite = true;
                    } else if (lastWasWrite || backlog.hasFlushes()) {
                        lastWasWrite = false;
                        flushIssuedAt = backlog.writtenTotal();
                        flush = true;
                    } else {
                        closeNow = closeRequested;
                        if (closeNow) {
                            backlog.close();
                        }
                        writing = false;
                    }
                }
                events.run();
                if (next != null) {
                    int length = writeOut(next);
                    synchronized (outLock) {
                        backlog.written(length);
                    }
                } else if (flush) {
                    out.flush();
                } else {
                    if (closeNow) {
                        terminate(null, new ClosedChannelException());
                    }
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Writes one buffer to the stream, all of it (the stream buffers what the socket does not take). */
    private int writeOut(ByteBuffer buffer) throws IOException {
        int length = buffer.remaining();
        if (buffer.hasArray()) {
            out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), length);
            buffer.position(buffer.limit());
        } else {
            byte[] copy = new byte[length];
            buffer.get(copy);
            out.write(copy);
        }
        return length;
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
        turns.finish();
        synchronized (outLock) {
            // Queued under the lock, behind the completions the writer decided before: they run in order.
            for (WriteCompletion done : backlog.abandon(flushFailure)) {
                events.queue(() -> done.completed(flushFailure));
            }
        }
        events.run();
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
        events.post(() -> {
            TransportHandler current = handler;
            if (current != null) {
                current.onClosed(reported);
            }
        });
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
}
