package io.breakwater.transport;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * A {@link Transport} over a non-blocking {@link SocketChannel}, in the clear or over TLS, driven by a
 * {@link SelectorLoop}. Clients get one from {@link #connect}, servers from a {@link NioServer}; either
 * way it is established (TCP connected, TLS handshake done) when handed over, and nothing is read
 * until {@link #start} names its handler.
 *
 * <p><b>Threads.</b> {@link #write}, {@link #flush}, {@link #close}, {@link #abort} and the reading
 * controls may be called from any thread: they queue work for the loop and return at once, and never
 * call back into the caller. Every socket operation, every {@link TransportHandler} call and every
 * {@link Transport.WriteCompletion} happens on the loop's thread, never nested inside one of these
 * methods, so handlers and completions must be quick (see {@link SelectorLoop}).
 *
 * <p><b>Input.</b> Reads go into a 64 KiB buffer shared by the loop's connections and are handed to
 * {@link TransportHandler#onData}; the handler must take what it needs during the call, as the bytes
 * are not offered again. {@link #suspendReading()} stops reading from the socket, so TCP flow control
 * holds the peer back.
 *
 * <p><b>Output.</b> Buffers are queued as given, without copying, and written in order with gathering
 * writes; when the socket's buffer is full the loop waits for it to drain ({@code OP_WRITE}) and the
 * queue grows, which {@link #queuedBytes()} tells exactly, so that senders can be held back.
 *
 * <p><b>Closing.</b> {@link #close()} lets the queue drain, ends the output ({@code close_notify} over
 * TLS, then a TCP FIN), reads and discards what the peer still sends until it ends its side too, and
 * then closes the socket. Should that take longer than the {@linkplain #setCloseTimeout close timeout},
 * the socket is closed anyway (with a reset if bytes were still queued). {@link #abort()} closes at once
 * with a reset. {@link TransportHandler#onClosed} is called exactly once, after every pending flush
 * completion: with {@code null} after {@code close()} or {@code abort()}, else with the failure that
 * ended the connection (a reset by the peer, a TLS error, the loop stopping).
 *
 * <p>An end of input without a TLS {@code close_notify} is reported as a plain end of input: WebSocket
 * has its own close handshake to tell a complete conversation from a cut one.
 */
public final class NioTransport implements Transport {

    /** How long {@link #close()} waits, by default, for the queue to drain and the peer to end its side. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger(NioTransport.class.getName());
    /** Reads per readiness event before the loop serves other connections. */
    private static final int MAX_READS_PER_EVENT = 4;
    /** Bytes written per turn before the loop serves other connections; the rest waits for the next turn. */
    private static final long MAX_WRITE_PER_TURN = 2L << 20;
    /** Bytes handed to one gathering write at most; see {@link #writeGathered}. */
    private static final int MAX_BYTES_PER_WRITE = 512 * 1024;

    /** Who waits for a new transport to be established: {@link NioConnector} or {@link NioServer}. */
    interface Establishment {
        /** TCP and TLS are up. The transport is not started; the callee may {@link NioTransport#startInLoop} it. */
        void established(NioTransport transport);

        /** The connection closed or failed before it was established. */
        void failed(Throwable failure);
    }

    private enum Phase {
        /** Waiting for the TLS handshake (a plain transport leaves this phase at once). */
        HANDSHAKING,
        /** Established, no handler yet: nothing is read. */
        ESTABLISHED,
        /** A handler is attached. */
        OPEN,
        CLOSED
    }

    private final SelectorLoop loop;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final TlsLayer tls;
    private final Establishment establishment;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private final WriteQueue out = new WriteQueue();
    private final AtomicBoolean started = new AtomicBoolean();
    private final Runnable ioTask = this::ioTask;

    private volatile boolean readSuspended;
    /** Set by {@link #close()} at once, so that input stops reaching the handler before the loop gets to it. */
    private volatile boolean closeRequested;
    private volatile boolean abortRequested;
    private volatile Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

    // The loop's thread only.
    private Phase phase = Phase.HANDSHAKING;
    private TransportHandler handler;
    private int interestOps;
    private boolean writeBlocked;
    private boolean inputEnded;
    private boolean closeStarted;
    private boolean outputShut;
    private SelectorLoop.Timeout closeTimer;
    private Throwable closedFailure;

    /** On the loop's thread, with {@code key} registered for {@code channel}. Call {@link #begin()} next. */
    NioTransport(SelectorLoop loop, SocketChannel channel, SelectionKey key, SSLEngine engine,
                 Establishment establishment) throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.key = key;
        this.tls = engine == null ? null : new TlsLayer(engine);
        this.establishment = establishment;
        // Kept, because a closed channel no longer tells.
        this.localAddress = channel.getLocalAddress();
        this.remoteAddress = channel.getRemoteAddress();
        key.attach(new Io());
        key.interestOps(0);
    }

    // ------------------------------------------------------------------------------------ connecting

    /** Connects in the clear; see {@link #connect(SelectorLoop, InetSocketAddress, Duration, Supplier)}. */
    public static CompletableFuture<NioTransport> connect(SelectorLoop loop, InetSocketAddress address,
                                                          Duration timeout) {
        return connect(loop, address, timeout, (Supplier<SSLEngine>) null);
    }

    /**
     * Connects, over TLS when {@code sslContext} is given. The server's certificate is checked against
     * {@code sniHostName} (or the address's host name when it is null) as HTTPS does
     * ({@code endpointIdentificationAlgorithm = "HTTPS"}), and a host name is sent as SNI.
     *
     * @param sslContext  the TLS context, or {@code null} for a plain connection
     * @param sniHostName the server's name, as in the {@code wss://} URI; {@code null} for the address's host
     */
    public static CompletableFuture<NioTransport> connect(SelectorLoop loop, InetSocketAddress address,
                                                          Duration timeout, SSLContext sslContext,
                                                          String sniHostName) {
        Supplier<SSLEngine> engines = sslContext == null ? null
                : () -> NioConnector.clientEngine(sslContext, address, sniHostName);
        return connect(loop, address, timeout, engines);
    }

    /**
     * Connects to {@code address}, resolving it first (off the loop's thread) if it is unresolved, and,
     * when {@code engines} is given, does the TLS handshake with the engine it supplies (which must be in
     * client mode). The future completes, on the loop's thread, with a transport that is established
     * and not yet {@linkplain #start started}; dependent stages that are not {@code *Async} run on that
     * thread too, so they must be quick. It fails with a {@link java.net.ConnectException} or
     * {@link java.net.UnknownHostException} naming the address, a {@link SocketTimeoutException} when
     * {@code timeout} passes first (it covers the TLS handshake), or the TLS handshake's
     * {@link SSLException}. Cancelling the future abandons the attempt.
     *
     * @param timeout null for none
     */
    public static CompletableFuture<NioTransport> connect(SelectorLoop loop, InetSocketAddress address,
                                                          Duration timeout, Supplier<SSLEngine> engines) {
        return NioConnector.connect(loop, address, timeout, engines);
    }

    // ------------------------------------------------------------------------------------ public API

    /**
     * Attaches the handler and starts reading. Called once, from any thread; the handler's calls begin on
     * the loop's thread. If the connection closed in the meantime, the handler hears
     * {@link TransportHandler#onClosed} at once.
     *
     * @throws IllegalStateException if the transport was started before
     */
    public void start(TransportHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("transport already started");
        }
        try {
            loop.execute(() -> attach(handler, true));
        } catch (RejectedExecutionException e) {
            notifyClosed(handler, new IOException("selector loop " + loop.name() + " stopped"));
        }
    }

    /**
     * Replaces the handler, from inside a call to the current one (on the loop's thread): for the
     * opening handshake to hand the connection over to its session. The next call goes to the new
     * handler; bytes left unread in the buffer of the current {@code onData} are not offered to it, so
     * the caller passes them on itself.
     *
     * @throws IllegalStateException if not called on the loop's thread, or the transport is not started or
     *                               is closed
     */
    public void setHandler(TransportHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (!loop.inLoop()) {
            throw new IllegalStateException("the handler is replaced from inside a handler call, on the loop's thread");
        }
        if (phase != Phase.OPEN) {
            throw new IllegalStateException("transport " + (phase == Phase.CLOSED ? "closed" : "not started"));
        }
        this.handler = handler;
    }

    @Override
    public void write(ByteBuffer header, ByteBuffer payload) {
        if (out.add(header, payload)) {
            post(ioTask);
        }
    }

    @Override
    public void flush(WriteCompletion done) {
        Objects.requireNonNull(done, "done");
        if (out.flush(done)) {
            post(ioTask);
        }
    }

    @Override
    public long queuedBytes() {
        return out.queuedBytes();
    }

    /** Takes effect before the next read; from inside {@link TransportHandler#onData}, right after the call. */
    @Override
    public void suspendReading() {
        readSuspended = true;
        post(ioTask);
    }

    @Override
    public void resumeReading() {
        readSuspended = false;
        post(ioTask);
    }

    /**
     * Closes once the bytes queued so far are written; bytes written after this call are dropped and the
     * flushes that follow them fail with a {@link ClosedChannelException}. Input arriving from now on is
     * discarded. See the class comment for the steps.
     */
    @Override
    public void close() {
        out.requestClose();
        closeRequested = true;
        post(ioTask);
    }

    /** Closes now with a TCP reset; pending flushes fail with an {@link IOException}, then {@code onClosed(null)}. */
    @Override
    public void abort() {
        abortRequested = true;
        post(() -> terminate(null, new IOException("connection aborted"), true));
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean isSecure() {
        return tls != null;
    }

    /** The TLS session (negotiated protocol, cipher suite, peer certificates), or null for a plain transport. */
    public SSLSession sslSession() {
        return tls == null ? null : tls.engine.getSession();
    }

    /**
     * How long {@link #close()} may take before the socket is closed regardless; {@code null} for no limit.
     * Applies to closes requested after this call.
     */
    public void setCloseTimeout(Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("close timeout must be positive: " + timeout);
        }
        closeTimeout = timeout;
    }

    @Override
    public String toString() {
        return "NioTransport[" + localAddress + " -> " + remoteAddress + (tls != null ? ", TLS" : "") + "]";
    }

    // ------------------------------------------------------------------------- package, loop thread

    /** Starts the handshake (TLS) or reports the transport established at once (plain). */
    void begin() {
        if (tls != null) {
            try {
                tls.engine.beginHandshake();
            } catch (SSLException | RuntimeException e) {
                fail(e);
                return;
            }
        }
        pump();
    }

    /** {@link #start} from inside {@link Establishment#established}: the pump under way goes on to read. */
    void startInLoop(TransportHandler handler) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("transport already started");
        }
        attach(Objects.requireNonNull(handler, "handler"), false);
    }

    /** Closes with a reset and reports {@code failure}: for timeouts and refusals by the establishing side. */
    void failEstablishment(Throwable failure) {
        terminate(failure, failure, true);
    }

    // ---------------------------------------------------------------------------------- the machine

    /** The loop's view of this transport's channel; a separate object so that the methods stay private. */
    private final class Io implements SelectorHandler {
        @Override
        public void ready(SelectionKey readyKey) {
            if (phase == Phase.CLOSED) {
                return;
            }
            int ready = readyKey.readyOps();
            try {
                if ((ready & SelectionKey.OP_WRITE) != 0) {
                    writeBlocked = false;
                }
                if (phase == Phase.HANDSHAKING) {
                    pump();
                    return;
                }
                if ((ready & SelectionKey.OP_WRITE) != 0) {
                    writeOutput();
                }
                if ((ready & SelectionKey.OP_READ) != 0 && phase != Phase.CLOSED) {
                    if (tls == null) {
                        readPlain();
                    } else {
                        readTls();
                        // What was read may have asked for an answer (a key update) or unblocked a stalled wrap.
                        if (phase != Phase.CLOSED && (tls.writeStalled
                                || tls.engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP)) {
                            writeOutput();
                        }
                    }
                }
                updateInterest();
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        @Override
        public void loopStopped(IOException cause) {
            terminate(cause, cause, false);
        }
    }

    /** Brings the transport up to date with what was asked of it: handshake, buffered input, output, close. */
    private void pump() {
        if (phase == Phase.CLOSED) {
            return;
        }
        try {
            if (phase == Phase.HANDSHAKING) {
                if (tls != null && !driveHandshake()) {
                    updateInterest();
                    return;
                }
                phase = Phase.ESTABLISHED;
                establishment.established(this);
                if (phase == Phase.CLOSED) {
                    return;
                }
            }
            if (!closeStarted && closeRequested) {
                beginClose();
            }
            if (tls != null) {
                deliverBuffered();
                if (phase == Phase.CLOSED) {
                    return;
                }
            }
            writeOutput();
            updateInterest();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** The task that {@code write}, {@code flush}, {@code close} and the reading controls hand to the loop. */
    private void ioTask() {
        if (phase == Phase.CLOSED) {
            // Flushes that came after the end: fail them, in order, here on the loop.
            completeAll(failedFlushes(new ClosedChannelException()));
            return;
        }
        pump();
    }

    private void attach(TransportHandler newHandler, boolean thenPump) {
        handler = newHandler;
        if (phase == Phase.CLOSED) {
            notifyClosed(newHandler, closedFailure);
            return;
        }
        phase = Phase.OPEN;
        if (thenPump) {
            pump();
        }
    }

    /** Whether bytes should be read now: for the handler, or to be discarded while closing. */
    private boolean inputWanted() {
        return phase != Phase.CLOSED && phase != Phase.HANDSHAKING && !inputEnded && !abortRequested
                && (closeRequested || (phase == Phase.OPEN && !readSuspended));
    }

    private void updateInterest() {
        if (phase == Phase.CLOSED || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (phase == Phase.HANDSHAKING) {
            // While output is blocked the handshake cannot use input, and an unread socket would keep waking us.
            if (!tls.taskRunning && !writeBlocked && tls.engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
                ops |= SelectionKey.OP_READ;
            }
        } else if (inputWanted() && (tls == null || !tls.taskRunning)) {
            ops |= SelectionKey.OP_READ;
        }
        if (writeBlocked) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (ops != interestOps) {
            key.interestOps(ops);
            interestOps = ops;
        }
    }

    // ------------------------------------------------------------------------------------------ input

    private void readPlain() throws IOException {
        ByteBuffer buffer = loop.readBuffer();
        for (int i = 0; i < MAX_READS_PER_EVENT && inputWanted(); i++) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                endOfInput();
                return;
            }
            if (n == 0) {
                return;
            }
            deliver(buffer.flip());
            if (n < buffer.capacity()) {
                return; // the socket is drained
            }
        }
    }

    private void readTls() throws IOException {
        for (int i = 0; i < MAX_READS_PER_EVENT && inputWanted(); i++) {
            int n = tls.read(channel);
            if (n < 0) {
                try {
                    tls.engine.closeInbound();
                } catch (SSLException e) {
                    // no close_notify: see the class comment
                }
                endOfInput();
                return;
            }
            if (n == 0 || !unwrapAndDeliver()) {
                return;
            }
        }
    }

    /** Hands over plaintext kept earlier and unwraps ciphertext buffered earlier (after a handshake, a resume). */
    private void deliverBuffered() throws IOException {
        if (!inputWanted()) {
            return;
        }
        if (tls.hasStash()) {
            deliver(tls.takeStash());
        }
        if (tls.hasBufferedInput() && inputWanted()) {
            unwrapAndDeliver();
        }
    }

    /**
     * Decrypts the buffered ciphertext into the loop's read buffer, several records at a time, and delivers it.
     *
     * @return whether reading may go on
     */
    private boolean unwrapAndDeliver() throws IOException {
        ByteBuffer app = loop.readBuffer().clear();
        int recordRoom = tls.engine.getSession().getApplicationBufferSize();
        while (true) {
            if (!inputWanted()) {
                handOver(app);
                return false;
            }
            if (!tls.hasBufferedInput()) {
                break;
            }
            if (app.remaining() < recordRoom && app.position() > 0) {
                handOver(app);
                continue;
            }
            SSLEngineResult result = tls.unwrap(app);
            switch (result.getStatus()) {
                case BUFFER_UNDERFLOW:
                    handOver(app);
                    return true; // a partial record: read more
                case BUFFER_OVERFLOW:
                    if (app.position() == 0) {
                        throw new SSLException("TLS record larger than the read buffer");
                    }
                    handOver(app);
                    continue;
                case CLOSED:
                    handOver(app);
                    endOfInput(); // the peer's close_notify
                    return false;
                default:
                    break;
            }
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                handOver(app);
                runDelegatedTasks();
                return false;
            }
        }
        handOver(app);
        return inputWanted();
    }

    /** Delivers the plaintext in {@code app}, or keeps it if reading was suspended meanwhile. */
    private void handOver(ByteBuffer app) {
        app.flip();
        if (app.hasRemaining()) {
            if (phase == Phase.OPEN && !closeRequested && !abortRequested && readSuspended) {
                tls.stash(app);
            } else {
                deliver(app);
            }
        }
        app.clear();
    }

    private void deliver(ByteBuffer data) {
        if (phase != Phase.OPEN || closeRequested || abortRequested) {
            data.position(data.limit()); // the handler closed: input is discarded
            return;
        }
        handler.onData(data);
    }

    private void endOfInput() {
        inputEnded = true;
        if (closeRequested) {
            if (closeStarted && outputShut) {
                terminate(null, null, false);
            }
            return; // else the close, once the queue drained, finds the input ended
        }
        if (phase == Phase.OPEN) {
            handler.onEndOfInput();
        }
    }

    // ----------------------------------------------------------------------------------------- output

    private void writeOutput() throws IOException {
        if (phase == Phase.CLOSED || phase == Phase.HANDSHAKING || (tls != null && tls.taskRunning)) {
            return;
        }
        ByteBuffer[] gather = loop.gatherArray();
        List<WriteQueue.Flush> due = new ArrayList<>();
        long turnBytes = 0;
        try {
            while (true) {
                if (tls != null) {
                    if (!flushTls()) {
                        return;
                    }
                    if (tls.wrappedPending > 0) {
                        // The ciphertext of these bytes is on the wire now.
                        out.written(tls.wrappedPending, due);
                        tls.wrappedPending = 0;
                        completeAll(due);
                    }
                    HandshakeStatus handshake = tls.engine.getHandshakeStatus();
                    if (handshake == HandshakeStatus.NEED_WRAP) {
                        wrapControl();
                        continue;
                    }
                    if (handshake == HandshakeStatus.NEED_TASK) {
                        runDelegatedTasks();
                        return;
                    }
                }
                int count = out.gather(gather, due);
                completeAll(due);
                if (count == 0) {
                    break;
                }
                if (turnBytes >= MAX_WRITE_PER_TURN) {
                    loop.execute(ioTask); // the queue stays scheduled: this task is the promised next look
                    return;
                }
                if (tls == null) {
                    long n = writeGathered(gather, count);
                    turnBytes += n;
                    out.consumed();
                    out.written(n, due);
                    completeAll(due);
                    if (writeBlocked) {
                        return;
                    }
                } else {
                    long consumed = tls.wrap(gather, count);
                    out.consumed();
                    tls.wrappedPending += consumed;
                    turnBytes += consumed;
                    tls.writeStalled = consumed == 0 && !tls.hasPendingOutput();
                    if (tls.writeStalled) {
                        return; // the engine waits for the peer's handshake message; reading resumes it
                    }
                }
            }
        } finally {
            Arrays.fill(gather, null);
        }
        advanceClose();
    }

    /**
     * One gathering write of at most {@link #MAX_BYTES_PER_WRITE} bytes of the first {@code count} buffers.
     * The limit matters because the JDK copies every byte handed to a write of heap buffers into a
     * temporary direct buffer, however few the socket then takes: handing it a whole 16 MiB message
     * again and again would copy that message over and over.
     *
     * @return the bytes written; {@link #writeBlocked} is set if the socket took less than it was given
     */
    private long writeGathered(ByteBuffer[] buffers, int count) throws IOException {
        int used = count;
        int limited = -1;
        int savedLimit = 0;
        long budget = MAX_BYTES_PER_WRITE;
        for (int i = 0; i < count; i++) {
            int remaining = buffers[i].remaining();
            if (remaining >= budget) {
                // The buffer is the transport's until its flush completes, so its limit may be lent out.
                limited = i;
                savedLimit = buffers[i].limit();
                buffers[i].limit(buffers[i].position() + (int) budget);
                used = i + 1;
                break;
            }
            budget -= remaining;
        }
        try {
            long written = channel.write(buffers, 0, used);
            writeBlocked = buffers[used - 1].hasRemaining();
            return written;
        } finally {
            if (limited >= 0) {
                buffers[limited].limit(savedLimit);
            }
        }
    }

    private boolean flushTls() throws IOException {
        if (tls.flush(channel)) {
            return true;
        }
        writeBlocked = true;
        return false;
    }

    // ------------------------------------------------------------------------------------------ TLS

    /**
     * Advances the TLS handshake as far as the socket allows.
     *
     * @return whether it is complete, its last message written
     */
    private boolean driveHandshake() throws IOException {
        while (true) {
            if (tls.taskRunning || !flushTls()) {
                return false;
            }
            switch (tls.engine.getHandshakeStatus()) {
                case NOT_HANDSHAKING:
                case FINISHED:
                    return true;
                case NEED_TASK:
                    runDelegatedTasks();
                    return false;
                case NEED_WRAP:
                    wrapControl();
                    break;
                default: // NEED_UNWRAP
                    ByteBuffer app = loop.readBuffer().clear();
                    SSLEngineResult result = tls.unwrap(app);
                    if (app.position() > 0) {
                        tls.stash(app.flip()); // application data with the handshake's last flight
                    }
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLHandshakeException("the peer closed the TLS connection during the handshake");
                    }
                    // An engine that took nothing yet still waits for input is treated as short of input.
                    boolean noProgress = result.bytesConsumed() == 0 && result.bytesProduced() == 0
                            && tls.engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP;
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || noProgress) {
                        int n = tls.read(channel);
                        if (n < 0) {
                            throw new EOFException("the peer closed the connection during the TLS handshake");
                        }
                        if (n == 0) {
                            return false;
                        }
                    }
                    break;
            }
        }
    }

    /** Wraps what the engine has to say by itself; one that asks to wrap yet says nothing would spin the loop. */
    private void wrapControl() throws SSLException {
        if (tls.wrapControl() == 0 && tls.engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            throw new SSLException("the TLS engine asks to send but produces nothing");
        }
    }

    /**
     * Runs the engine's delegated tasks (certificate checks, key generation: possibly slow) off the loop's
     * thread, then carries on on the loop. The engine is left alone meanwhile.
     */
    private void runDelegatedTasks() {
        tls.taskRunning = true;
        Runnable runTasks = () -> {
            try {
                Runnable task;
                while ((task = tls.engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } finally {
                try {
                    loop.execute(() -> {
                        tls.taskRunning = false;
                        pump();
                    });
                } catch (RejectedExecutionException e) {
                    // the loop stopped, and closed this transport as it did
                }
            }
        };
        try {
            loop.blockingExecutor().execute(runTasks);
        } catch (RejectedExecutionException e) {
            runTasks.run(); // no executor left: run them here rather than hang
        }
    }

    // ---------------------------------------------------------------------------------------- closing

    private void beginClose() {
        closeStarted = true;
        Duration timeout = closeTimeout;
        if (timeout != null) {
            closeTimer = loop.schedule(timeout, () -> closeTimedOut(timeout));
        }
    }

    /** Once the queue is drained: ends the output, then closes when the input has ended too. */
    private void advanceClose() throws IOException {
        if (!closeStarted || phase == Phase.CLOSED || !out.isEmpty()) {
            return;
        }
        if (!outputShut) {
            if (tls != null && !closeTls()) {
                return;
            }
            try {
                channel.shutdownOutput();
            } catch (IOException e) {
                // the peer is gone; what was queued has been handed to the system already
            }
            outputShut = true;
        }
        if (inputEnded) {
            terminate(null, null, false);
        }
    }

    /** Sends close_notify; whether it is written. */
    private boolean closeTls() throws IOException {
        try {
            if (!tls.closeOutboundStarted) {
                tls.closeOutboundStarted = true;
                tls.engine.closeOutbound();
            }
            while (flushTls()) {
                if (tls.engine.isOutboundDone() || tls.wrapControl() == 0) {
                    return true;
                }
            }
            return false;
        } catch (SSLException e) {
            return true; // the engine cannot say goodbye; TCP still can
        }
    }

    private void closeTimedOut(Duration timeout) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (!out.isEmpty() || (tls != null && tls.hasPendingOutput())) {
            SocketTimeoutException e = new SocketTimeoutException("close timed out after " + timeout.toMillis()
                    + " ms with " + out.queuedBytes() + " bytes not written to " + remoteAddress);
            terminate(e, e, true);
        } else {
            terminate(null, null, false); // all written; the peer did not end its side in time
        }
    }

    private void fail(Throwable failure) {
        if (failure instanceof SSLException && tls != null && phase != Phase.CLOSED) {
            tls.sendAlertQuietly(channel);
        }
        terminate(failure, failure, true);
    }

    /**
     * Closes the channel (with a reset if asked), fails what waits, and reports the end once.
     *
     * @param reported     what {@code onClosed} (or the establishing side) hears; null for a normal close
     * @param flushFailure what pending flushes fail with; null for a {@link ClosedChannelException}
     */
    private void terminate(Throwable reported, Throwable flushFailure, boolean reset) {
        if (phase == Phase.CLOSED) {
            return;
        }
        Phase was = phase;
        phase = Phase.CLOSED;
        if (closeTimer != null) {
            closeTimer.cancel();
        }
        key.cancel();
        if (reset) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException e) {
                // already closed: nothing to reset
            }
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closed as far as we are concerned
        }
        completeAll(failedFlushes(flushFailure != null ? flushFailure : new ClosedChannelException()));
        if (was == Phase.HANDSHAKING) {
            establishment.failed(reported != null ? reported
                    : new ClosedChannelException());
            return;
        }
        closedFailure = reported;
        if (handler != null) {
            notifyClosed(handler, reported);
        }
    }

    private List<WriteQueue.Flush> failedFlushes(Throwable cause) {
        List<WriteQueue.Flush> due = new ArrayList<>();
        out.fail(cause, due);
        return due;
    }

    /** Hands a task to the loop; if the loop is gone (it closed this transport as it stopped), fails what waits. */
    private void post(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            completeAll(failedFlushes(new IOException("selector loop " + loop.name() + " stopped")));
        }
    }

    private static void completeAll(List<WriteQueue.Flush> due) {
        for (int i = 0; i < due.size(); i++) {
            WriteQueue.Flush flush = due.get(i);
            try {
                flush.done.completed(flush.failure);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "write completion failed", e);
            }
        }
        due.clear();
    }

    private static void notifyClosed(TransportHandler handler, Throwable failure) {
        try {
            handler.onClosed(failure);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "transport handler failed in onClosed", e);
        }
    }
}
