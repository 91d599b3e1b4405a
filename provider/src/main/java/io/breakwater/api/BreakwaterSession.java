package io.breakwater.api;

import io.breakwater.protocol.CloseStatus;
import io.breakwater.protocol.Connection;
import io.breakwater.protocol.ConnectionListener;
import io.breakwater.protocol.FrameOutput;
import io.breakwater.protocol.MaskKeySource;
import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.MessageFramer;
import io.breakwater.protocol.ProtocolException;
import io.breakwater.protocol.Role;
import io.breakwater.transport.SerialExecutor;
import io.breakwater.transport.Transport;
import io.breakwater.transport.TransportHandler;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Jakarta WebSocket {@link Session} on Breakwater's engine: the bridge between a {@link Transport}
 * (bytes), a {@link Connection} (the RFC 6455 state machine) and the application's {@link Endpoint}.
 *
 * <p>Who runs what (docs/ARCHITECTURE.md, "The session layer"): the transport's reading thread feeds
 * input to the engine, the only owner of inbound processing, under the engine lock, and never runs
 * application code while it holds it; callbacks go through a {@link SerialExecutor}, one at a time and in
 * order, and where the transport allows it ({@link Transport#mayRunApplicationCode()}) the thread that
 * read a message runs its callbacks once the input is fed. Application threads send through the
 * {@link OutboundChannel}, which encodes on the sender's thread and shares no lock with the reader;
 * frames reach the transport through the {@link FrameQueue}. Send completions run on a serial executor
 * of their own, outside the callback limit.
 *
 * <p>Locks: {@code engineLock} guards the engine and is held only by the thread feeding input and,
 * briefly, by the encoder that starts the close handshake. Lock order: engineLock, then the frame
 * queue's lock; nothing else is called with either held.
 */
public final class BreakwaterSession implements Session, TransportHandler {

    private static final System.Logger LOG = System.getLogger(BreakwaterSession.class.getName());
    private static final AtomicLong IDS = new AtomicLong();
    /** The payload of keepalive pings, by which their pongs are known (RFC 6455 §5.5.3: a pong echoes its ping's). */
    private static final ByteBuffer KEEPALIVE_PING =
            ByteBuffer.wrap("breakwater-keepalive".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private final String id = Long.toString(IDS.incrementAndGet(), 36);
    private final SessionSettings settings;
    private final WebSocketContainer container;
    private final Endpoint endpoint;
    private final EndpointConfig config;
    private final HandshakeDetails handshake;
    private final Transport transport;
    private final SessionGroup group;
    private final ClassLoader applicationLoader;

    private final ReentrantLock engineLock = new ReentrantLock();
    private final Connection connection;
    private final MessageExtension extension;
    private final FrameQueue frames;
    private final OutboundChannel outbound;
    private final ReadingHolds readingHolds;
    private final SerialExecutor callbacks;
    private final SerialExecutor completions;
    private final Decoders decoders;
    private final Encoders encoders;
    private final MessageHandlers handlers;
    private final InboundMessages inbound;
    private final Map<String, Object> userProperties;
    private final BasicRemote basicRemote;
    private final AsyncRemote asyncRemote;

    /** No close has begun: neither side has sent a close frame, and the transport is up. */
    private volatile boolean active = true;
    private volatile int maxTextMessageBuffer;
    private volatile int maxBinaryMessageBuffer;
    private volatile long maxIdleTimeout;
    private volatile long lastActivity = System.nanoTime();
    /** When the peer's last input arrived, keepalive pongs included: what the keepalive watches. */
    private volatile long lastHeard = lastActivity;
    /** Pings a quiet peer; null when the session's keepalive is off. */
    private final KeepaliveTimer keepalive;
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final AtomicBoolean transportClosed = new AtomicBoolean();
    /** onClose to run, connection to close: see {@link #leaveGroupOnceClosed}. */
    private final AtomicInteger closeStepsLeft = new AtomicInteger(2);
    /**
     * Whether the session is closed for the application: set once the endpoint's onClose has returned.
     * The Session documentation has every method but the close methods throw IllegalStateException "once
     * the session has been closed", and also tells developers to "retrieve any information from the
     * session during the Endpoint#onClose method"; so "closed" here is after onClose, not after the close
     * handshake began. {@link #isOpen()} turns false at the same moment, so that an application which
     * waits for it to turn false can rely on onClose having run. {@link #getId()} and {@link #isOpen()}
     * keep working after it: they say nothing the application cannot have, and logging needs them.
     */
    private volatile boolean closeNotified;
    /** Set as onClose begins: no message reaches a handler after that. */
    private volatile boolean onCloseBegun;
    /** The violation the engine closed the connection for, if it did: a close the local container initiated. */
    private volatile ProtocolException localFailure;
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    /** The reason the application closed with, reported to onClose even if the peer's answer arrives first. */
    private volatile CloseReason localCloseReason;
    private volatile ScheduledFuture<?> idleCheck;
    /** Armed once, when a close is decided: the transport is aborted when it passes, whatever is queued. */
    private final AtomicBoolean closeDeadlineArmed = new AtomicBoolean();
    private volatile ScheduledFuture<?> closeDeadline;

    // Input that arrives before onOpen has returned is held, with reading suspended, and fed to the engine
    // once it has: a message's handler is chosen as the message begins (§2.1.3), and the handlers are
    // those onOpen registers. Without this a message that came with the handshake response, or right
    // after it, would find no handler and be dropped. Guarded by the engine lock, as are the fields below.
    private boolean openNotified;
    private ByteBuffer heldInput;
    private boolean heldEndOfInput;
    private boolean heldClosed;
    /** Whether input is being fed to the engine: a close frame it answers with waits ({@link EngineOutput}). */
    private boolean receiving;
    /** The engine's close frame, written while feeding input, waiting for that input's callbacks. */
    private FrameQueue.Frame deferredClose;
    /** Whether the close frame and the transport's close wait for callbacks ({@link ConnectionEvents#onClose}). */
    private boolean closeDeferred;
    /** Whether the engine reported its close ({@link ConnectionEvents#onClose}). */
    private boolean engineCloseReported;
    /** Told when the close frame the application asked for is written ({@link #writeClose}). */
    private Transport.WriteCompletion closeWritten;
    /**
     * Why the outbound channel is to end, once the engine lock is released: the engine closed with the
     * lock held, and ending the channel fails what waits through the transport ({@link #endOutboundIfDue}).
     */
    private final AtomicReference<IOException> outboundEndDue = new AtomicReference<>();
    /**
     * The thread feeding input to the engine, while it does: callbacks it produces are queued, and run or
     * started once the input is fed and the engine lock released. Only ever equal to the current thread
     * on that thread, so other threads may read it without the lock.
     */
    private Thread feedingThread;
    /**
     * The thread running callbacks of input where it read them, while it does ({@link #runCallbacksHere});
     * only ever equal to the current thread on that thread. {@link #repliesUnflushed} is that thread's.
     */
    private volatile Thread replyingThread;
    private boolean repliesUnflushed;
    // What the input being fed held, for the idle timeout: a read of nothing but pongs to the keepalive's
    // own pings is not activity, so that the keepalive does not keep a session from its idle timeout. Any
    // other frame is, a ping included (the TCK's sendPingDelaysTimout tests: a peer's pings delay it), and so
    // is a read that completed no frame (part of a message). Guarded by the engine lock.
    private boolean keepalivePongFed;
    private boolean otherInputFed;

    private BreakwaterSession(Role role, SessionSettings settings, WebSocketContainer container, Endpoint endpoint,
                              EndpointConfig config, HandshakeDetails handshake, Transport transport,
                              MessageExtension extension, SessionGroup group, ClassLoader applicationLoader) {
        this.settings = settings;
        this.container = container;
        this.endpoint = endpoint;
        this.config = config;
        this.handshake = handshake;
        this.transport = transport;
        this.group = group;
        this.applicationLoader = applicationLoader;
        this.extension = extension;
        this.maxTextMessageBuffer = settings.maxTextMessageBuffer();
        this.maxBinaryMessageBuffer = settings.maxBinaryMessageBuffer();
        this.maxIdleTimeout = settings.maxIdleTimeoutMillis();
        this.userProperties = Collections.synchronizedMap(new HashMap<>(handshake.userProperties()));
        this.callbacks = new SerialExecutor(settings.callbacks());
        this.completions = new SerialExecutor(settings.callbacks().completions());
        this.decoders = Decoders.create(config.getDecoders(), config);
        this.encoders = Encoders.create(config.getEncoders(), config);
        this.handlers = new MessageHandlers(decoders, this::updateLimits);
        this.inbound = new InboundMessages(this, handlers, decoders);
        this.frames = new FrameQueue(transport);
        this.readingHolds = new ReadingHolds(transport);
        ConnectionEvents events = new ConnectionEvents();
        EngineOutput engineOutput = new EngineOutput();
        MessageFramer dataFramer;
        MessageFramer controlFramer;
        if (role == Role.SERVER) {
            this.connection = Connection.server(events, engineOutput, extension);
            dataFramer = MessageFramer.server(extension);
            controlFramer = MessageFramer.server(null);
        } else {
            this.connection = Connection.client(events, engineOutput, extension, MaskKeySource.secure());
            dataFramer = MessageFramer.client(extension, MaskKeySource.secure());
            controlFramer = MessageFramer.client(null, MaskKeySource.secure());
        }
        // The encoder may still be compressing when the engine closes: the session frees the extension.
        connection.leaveExtensionToCaller();
        this.outbound = new OutboundChannel(dataFramer, controlFramer, frames, transport, settings.maxQueuedBytes());
        this.basicRemote = new BasicRemote(this, outbound, encoders);
        this.asyncRemote = new AsyncRemote(this, outbound, encoders);
        Keepalive chosen = settings.keepalive().with(handshake.userProperties());
        this.keepalive = chosen.isOn() ? new KeepaliveTimer(chosen, settings.timers(), new KeepalivePeer()) : null;
        updateLimits();
    }

    /**
     * Creates the session of a connection whose opening handshake succeeded, and runs the endpoint's
     * {@code onOpen} before any message. The caller then hands the transport's input to the session
     * (it is the transport's {@link TransportHandler}).
     *
     * @param extension the negotiated per-message extension (permessage-deflate), or null
     */
    public static BreakwaterSession open(Role role, SessionSettings settings, WebSocketContainer container,
                                         Endpoint endpoint, EndpointConfig config, HandshakeDetails handshake,
                                         Transport transport, MessageExtension extension, SessionGroup group,
                                         ClassLoader applicationLoader) {
        BreakwaterSession session = new BreakwaterSession(role, settings, container, endpoint, config, handshake,
                transport, extension, group, applicationLoader);
        group.add(session);
        session.scheduleIdleCheck();
        if (session.keepalive != null) {
            session.keepalive.start();
        }
        session.callback(() -> {
            try {
                endpoint.onOpen(session, config);
            } finally {
                session.openNotified();
            }
        });
        return session;
    }

    // ---------------------------------------------------------------------------------- transport input

    @Override
    public void onData(ByteBuffer data) {
        long now = System.nanoTime();
        lastHeard = now;
        boolean closeTransport;
        engineLock.lock();
        try {
            if (!openNotified) {
                lastActivity = now;
                hold(data);
                return;
            }
            closeTransport = feed(data);
            if (otherInputFed || !keepalivePongFed) {
                lastActivity = now;
            }
        } finally {
            engineLock.unlock();
        }
        sendEngineFrames(closeTransport);
        if (!closeTransport) {
            holdWhileRepliesPileUp();
        }
        runCallbacksOfInput();
    }

    /**
     * Feeds input to the engine, with the engine lock held.
     *
     * @return whether the transport is to be closed now, after the frames queued (a close the engine
     *         answers with waits for the input's callbacks and closes the transport itself)
     */
    private boolean feed(ByteBuffer data) {
        feedingThread = Thread.currentThread();
        receiving = true;
        keepalivePongFed = false;
        otherInputFed = false;
        try {
            connection.receive(data);
        } finally {
            receiving = false;
            feedingThread = null;
        }
        return connection.isTransportCloseDue() && !closeDeferred;
    }

    /**
     * Sends the pongs the engine wrote, and closes the transport after them when the input ended the
     * connection: in one flush, so that the transport learns of the close no later than of the bytes
     * before it (a servlet transport on Tomcat must close in the same container callback that writes them).
     */
    private void sendEngineFrames(boolean closeTransport) {
        if (closeTransport) {
            frames.closeTransportWhenWritten();
        }
        frames.flush();
        endOutboundIfDue();
    }

    /** Ends the outbound channel if the engine closed; with no lock held, after each call into the engine that may close it. */
    private void endOutboundIfDue() {
        if (outboundEndDue.get() != null) {
            IOException cause = outboundEndDue.getAndSet(null);
            if (cause != null) {
                outbound.terminate(cause);
            }
        }
    }

    /**
     * Runs the callbacks the input produced on this thread where the transport allows it, or starts a
     * callback thread for them: after the engine lock is released, so that a callback that blocks (a
     * blocking send to a slow peer) holds back nothing but this connection's reading. Where another thread
     * is still running this session's callbacks (onOpen's, and those of the input held until it returned,
     * whose answers may reach the peer before that thread is done), that thread runs these after them.
     */
    private void runCallbacksOfInput() {
        if (!transport.mayRunApplicationCode() || !settings.callbacks().tryRunHere(this::runCallbacksHere)) {
            callbacks.start();
        }
    }

    /** Runs the queued callbacks on this thread, then writes the replies they made in one go. */
    private void runCallbacksHere() {
        replyingThread = Thread.currentThread();
        try {
            callbacks.runHere();
        } finally {
            replyingThread = null;
            if (repliesUnflushed) {
                repliesUnflushed = false;
                touch(); // once for the read's replies, which go out now
                frames.flush(); // a failed write closes the connection: onClose says so
            }
        }
    }

    /**
     * Takes what an {@code @OnMessage} method returned (a String, ByteBuffer or byte[]) when it can go
     * out with the replies to the other messages of the same read. On the thread that read the message
     * and runs its callbacks ({@link #runCallbacksHere}) the reply is encoded at once, in order with
     * everything else sent, and the replies of one read reach the socket in one write once that read's
     * callbacks have run, as an event loop flushes at the end of a read (Netty's channelReadComplete): for
     * a small message the write is most of the cost. A reply thus waits for the callbacks of the same read
     * that come after it. A send the application makes itself is never held back (and takes the replies
     * before it along).
     *
     * <p>A returned ByteBuffer or byte[] is copied: the method has returned, so the application may reuse
     * it at once, while the reply is written only after the read's other callbacks. A String is immutable.
     *
     * @return false, having sent nothing, on any other thread, for another type, or when the reply
     *         cannot go at once ({@link OutboundChannel#sendUnflushed}): the caller sends it blocking
     */
    public boolean replyWithRead(Object value) {
        if (replyingThread != Thread.currentThread()) {
            return false;
        }
        OutboundChannel.Kind kind;
        ByteBuffer payload;
        if (value instanceof String text) {
            kind = OutboundChannel.Kind.TEXT;
            payload = BasicRemote.utf8(text);
        } else if (value instanceof ByteBuffer bytes) {
            kind = OutboundChannel.Kind.BINARY;
            payload = ByteBuffer.allocate(bytes.remaining()).put(bytes.duplicate()).flip();
        } else if (value instanceof byte[] bytes) {
            kind = OutboundChannel.Kind.BINARY;
            payload = ByteBuffer.wrap(bytes.clone());
        } else {
            return false;
        }
        if (!outbound.sendUnflushed(kind, payload)) {
            return false;
        }
        repliesUnflushed = true;
        return true;
    }

    /**
     * Stops reading while more than the outgoing queue limit waits to be written, until it is: the engine
     * answers every ping at once (RFC 6455 §5.5.2), so a peer that floods pings and reads nothing would
     * otherwise have its pongs queued here without bound. The peer's further input then waits in TCP.
     */
    private void holdWhileRepliesPileUp() {
        if (frames.queuedBytes() <= settings.maxQueuedBytes() || readingHolds.holds(ReadingHolds.OUTPUT)) {
            return;
        }
        readingHolds.hold(ReadingHolds.OUTPUT);
        transport.flush(failure -> readingHolds.release(ReadingHolds.OUTPUT));
    }

    @Override
    public void onEndOfInput() {
        engineLock.lock();
        try {
            if (!openNotified && heldInput != null) {
                heldEndOfInput = true; // after the held input, once onOpen has returned
                return;
            }
            connection.transportClosed();
        } finally {
            engineLock.unlock();
        }
        sendEngineFrames(true);
    }

    @Override
    public void onClosed(Throwable failure) {
        if (transportClosed.compareAndSet(false, true)) {
            leaveGroupOnceClosed();
        }
        boolean afterHeldInput;
        engineLock.lock();
        try {
            afterHeldInput = !openNotified && heldInput != null;
            if (afterHeldInput) {
                heldClosed = true; // the engine hears of it after the held input, once onOpen has returned
            } else {
                connection.transportClosed();
            }
        } finally {
            engineLock.unlock();
        }
        active = false;
        IOException cause = new IOException("the connection is closed", failure);
        frames.fail(cause);
        outbound.terminate(cause);
        outbound.whenIdle(this::releaseExtension);
        cancel(idleCheck);
        if (keepalive != null) {
            keepalive.stop();
        }
        cancel(closeDeadline);
        if (!afterHeldInput) {
            reportClose(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, ""));
        }
    }

    /** Frees the extension's zlib streams once neither the reader nor the encoder can use them. */
    private void releaseExtension() {
        if (extension == null) {
            return;
        }
        engineLock.lock();
        try {
            extension.release();
        } finally {
            engineLock.unlock();
        }
    }

    /** Keeps input that came before onOpen returned; with the engine lock held, on the I/O thread. */
    private void hold(ByteBuffer data) {
        // A copy: the transport's buffer is only valid during onData. Reading stops, so this holds at most
        // what one read brought (and what came with the handshake response).
        ByteBuffer held = ByteBuffer.allocate((heldInput == null ? 0 : heldInput.remaining()) + data.remaining());
        if (heldInput != null) {
            held.put(heldInput);
        }
        heldInput = held.put(data).flip();
        readingHolds.hold(ReadingHolds.UNTIL_OPEN);
    }

    /** onOpen has returned: feeds the engine what was held, in order, then resumes reading. */
    private void openNotified() {
        boolean closeTransport = false;
        boolean endOfInput;
        boolean closed;
        engineLock.lock();
        try {
            openNotified = true;
            if (heldInput != null) {
                ByteBuffer held = heldInput;
                heldInput = null;
                closeTransport = feed(held);
            }
            endOfInput = heldEndOfInput;
            closed = heldClosed;
            if (endOfInput || closed) {
                connection.transportClosed();
            }
        } finally {
            engineLock.unlock();
        }
        sendEngineFrames(closeTransport || endOfInput);
        if (closed) {
            reportClose(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, ""));
        }
        readingHolds.release(ReadingHolds.UNTIL_OPEN);
    }

    /**
     * Where the engine writes its frames: pongs go to the frame queue at once; a close frame written
     * while input is fed waits in {@link #deferredClose} for the callbacks of that input (see
     * {@link ConnectionEvents#onClose}); the close the application asked for goes at once. With the
     * engine lock held.
     */
    private final class EngineOutput implements FrameOutput {
        @Override
        public void write(ByteBuffer header, ByteBuffer payload) {
            FrameQueue.Frame frame = new FrameQueue.Frame(header, payload);
            if (!MessageFramer.isClose(header)) {
                frames.offerControl(frame);
            } else if (receiving) {
                deferredClose = frame;
            } else {
                Transport.WriteCompletion written = closeWritten != null ? closeWritten : FrameQueue.NOBODY_WAITS;
                if (frames.offerClose(frame, written)) {
                    closeWritten = null; // else writeClose tells it, once the engine lock is released
                }
            }
        }
    }

    /** What the engine reports; called on the I/O thread with the engine lock held. */
    private final class ConnectionEvents implements ConnectionListener {
        @Override
        public void onText(ByteBuffer utf8, boolean last) {
            otherInputFed = true;
            inbound.onText(utf8, last);
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
            otherInputFed = true;
            inbound.onBinary(data, last);
        }

        @Override
        public void onPing(ByteBuffer payload) {
            otherInputFed = true;
        }

        @Override
        public void onPong(ByteBuffer payload) {
            if (keepalive != null && KEEPALIVE_PING.equals(payload)) {
                keepalivePongFed = true; // the container's own ping: not the application's to see
                return;
            }
            otherInputFed = true;
            inbound.onPong(payload);
        }

        @Override
        public void onProtocolError(ProtocolException error) {
            // The engine sends the violation's close code, then reports the close: onError is queued there,
            // after the close, so that what it sends is refused (the session is closing) instead of going
            // out before the close frame as a reply to a valid message does.
            localFailure = error;
            if (engineCloseReported) {
                callback(() -> endpoint.onError(BreakwaterSession.this, error)); // no onClose to queue it behind
            }
        }

        @Override
        public void onClose(CloseStatus status) {
            otherInputFed = true;
            engineCloseReported = true;
            active = false;
            FrameQueue.Frame close = deferredClose;
            deferredClose = null;
            if (close != null) {
                // The engine answers the peer's close, or fails the connection for what the peer sent. The
                // close frame waits for the callbacks of the messages that came before it, so that what they
                // send goes first: nothing may follow a close frame (RFC 6455 §5.5.1), and a reply to a valid
                // message is not lost for a violation after it (Autobahn 3.2-3.4, 4.1.3-4.2.5, 5.15). The
                // close deadline, armed now, bounds the wait.
                boolean closeTransport = connection.isTransportCloseDue();
                closeDeferred = true;
                callback(() -> outbound.close(() -> {
                    frames.offerClose(close, FrameQueue.NOBODY_WAITS);
                    if (closeTransport) {
                        frames.closeTransportWhenWritten();
                    }
                }, FrameQueue.NOBODY_WAITS));
            } else {
                // Not here: the engine lock is held, and ending the channel hands completions to the transport.
                outboundEndDue.set(new IOException("the session is closed (" + status.code() + ")"));
            }
            ProtocolException violation = localFailure;
            if (violation != null) {
                callback(() -> endpoint.onError(BreakwaterSession.this, violation));
            }
            if (status.code() != CloseStatus.ABNORMAL_CLOSURE) {
                // The close handshake is under way or done: RFC 6455 §7.1.1 has the server close TCP first,
                // and a client close it itself if the server does not, after a while.
                armCloseDeadline();
            }
            CloseReason local = localCloseReason;
            if (local == null && violation != null) {
                // The peer's data broke a rule (a message too big, a protocol violation) and the engine
                // closed with the violation's code: the endpoint hears that code, with the cause as the
                // reason. The close answers what the peer sent; 1006 (WSC-2.1.5-1) is for closes the
                // container decides on its own, such as the idle timeout (see checkIdle). The TCK checks
                // both (clientendpointonmessage maxLengthFailsTest: 1009; application.closing: 1006).
                local = new CloseReason(CloseReason.CloseCodes.getCloseCode(status.code()), violation.getMessage());
            }
            reportClose(local != null ? local
                    : new CloseReason(CloseReason.CloseCodes.getCloseCode(status.code()), status.reason()));
        }
    }

    // ------------------------------------------------------------------------------------ callbacks

    /**
     * Runs application code on the session's serial executor, with the application's class loader. Code
     * produced by the input being fed waits for the feeding to end ({@link #runCallbacksOfInput}).
     */
    void callback(ApplicationCode code) {
        Runnable task = withApplicationContext(code);
        if (feedingThread == Thread.currentThread()) {
            callbacks.enqueue(task);
        } else {
            callbacks.execute(task);
        }
    }

    /**
     * Runs a send's completion (a {@code SendHandler}) on the session's completion executor: in send
     * order, one at a time, with the application's class loader, and outside the callback limit, so
     * that a callback waiting for its own send's completion never waits for a callback thread. What it
     * throws goes to {@code onError}.
     */
    void completion(ApplicationCode code) {
        completions.execute(withApplicationContext(code));
    }

    private Runnable withApplicationContext(ApplicationCode code) {
        return () -> {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(applicationLoader);
            try {
                code.run();
            } catch (Throwable error) {
                reportError(error);
            } finally {
                thread.setContextClassLoader(previous);
            }
        };
    }

    /** Whether onClose has begun: messages still queued for handlers are dropped from then on. */
    boolean closeHasBegun() {
        return onCloseBegun;
    }

    /** An error from application code or the container goes to the endpoint's {@code onError}. */
    void reportError(Throwable error) {
        try {
            endpoint.onError(this, error);
        } catch (Throwable secondary) {
            LOG.log(System.Logger.Level.WARNING, "onError of session " + id + " failed", secondary);
        }
    }

    /** Application code that may throw anything; what it throws goes to {@code onError}. */
    @FunctionalInterface
    interface ApplicationCode {
        void run() throws Exception;
    }

    /**
     * Called once when onClose has run and once when the connection is closed: the session leaves its
     * group after both, so that a container that shuts down waits for the close handshake to end (or
     * time out), not only for onClose (RFC 6455 §7.1.1: the server closes TCP once the handshake is done).
     */
    private void leaveGroupOnceClosed() {
        if (closeStepsLeft.decrementAndGet() == 0) {
            group.remove(this);
        }
    }

    private void reportClose(CloseReason reason) {
        if (!closeReported.compareAndSet(false, true)) {
            return;
        }
        callback(() -> {
            onCloseBegun = true;
            try {
                endpoint.onClose(this, reason);
            } finally {
                closeNotified = true;
                leaveGroupOnceClosed();
                decoders.destroy();
                encoders.destroy();
            }
        });
    }

    /** The transport cannot go on (a failed or timed-out write): drop it, the endpoint hears 1006. */
    void abort() {
        transport.abort();
    }

    // -------------------------------------------------------------------------------------- closing

    @Override
    public void close() throws IOException {
        close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
    }

    /**
     * Sends a close frame after the messages already queued, then reports {@code closeReason} to the
     * endpoint's {@code onClose}; the connection is closed when the peer answers, or when the close
     * timeout has passed since this call.
     *
     * @throws IllegalArgumentException for a code that may not be sent (1006, 1015; RFC 6455 §7.4.1), or a
     *                                  reason longer than 123 bytes of UTF-8 (§5.5); nothing has changed then
     */
    @Override
    public void close(CloseReason closeReason) throws IOException {
        if (closeReason == null) {
            throw new IllegalArgumentException("closeReason is null");
        }
        int code = closeReason.getCloseCode().getCode();
        String reason = closeReason.getReasonPhrase() == null ? "" : closeReason.getReasonPhrase();
        CloseStatus status;
        if (code == CloseStatus.NO_STATUS_RECEIVED) {
            // 1005 stands for "no code" (RFC 6455 §7.4.1): a close frame without a body, which carries no
            // reason either; onClose still hears the reason given.
            status = new CloseStatus(CloseStatus.NO_STATUS_RECEIVED, "");
        } else if (!CloseStatus.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 §7.4.1)");
        } else {
            status = new CloseStatus(code, reason);
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > CloseStatus.MAX_REASON_BYTES) {
            throw new IllegalArgumentException("a close reason is at most " + CloseStatus.MAX_REASON_BYTES
                    + " bytes of UTF-8 (RFC 6455 §5.5)");
        }
        closeWith(status, closeReason);
    }

    /**
     * Aborts the transport once the close timeout has passed, counted from now, when a close has been
     * decided (RFC 6455 §7.1.1 leaves the wait to the endpoint): whatever is still queued, the session
     * then ends, and onClose runs.
     */
    private void armCloseDeadline() {
        if (!closeDeadlineArmed.compareAndSet(false, true)) {
            return;
        }
        try {
            closeDeadline = settings.timers().schedule(transport::abort, settings.closeTimeoutMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException containerStopped) {
            // No timer will run any more: end now rather than leave the connection open for ever.
            transport.abort();
        }
        if (transportClosed.get()) {
            cancel(closeDeadline);
        }
    }

    /** Sends {@code status} in the close frame, and reports {@code local} to onClose once it is written. */
    private void closeWith(CloseStatus status, CloseReason local) {
        if (!closeStarted.compareAndSet(false, true) || !active) {
            return;
        }
        active = false;
        localCloseReason = local;
        armCloseDeadline();
        outbound.close(() -> writeClose(status, failure -> reportClose(local)), FrameQueue.NOBODY_WAITS);
    }

    /** The encoder's turn for the close: the engine writes the close frame, unless it has closed already. */
    private void writeClose(CloseStatus status, Transport.WriteCompletion written) {
        boolean nothingWritten;
        engineLock.lock();
        try {
            closeWritten = written;
            connection.close(status);
            nothingWritten = closeWritten != null;
            closeWritten = null;
        } finally {
            engineLock.unlock();
        }
        endOutboundIfDue();
        if (nothingWritten) {
            written.completed(null); // the engine closed first; its close reports what happened
        }
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    // ------------------------------------------------------------------------------------- limits

    private void updateLimits() {
        MessageHandlers.Registration text = handlers.get(MessageHandlers.Kind.TEXT);
        MessageHandlers.Registration binary = handlers.get(MessageHandlers.Kind.BINARY);
        // A handler of parts buffers nothing; a whole-message handler holds at most the buffer size.
        long textLimit = text != null && text.partial() ? Long.MAX_VALUE : maxTextMessageBuffer;
        long binaryLimit = binary != null && binary.partial() ? Long.MAX_VALUE : maxBinaryMessageBuffer;
        engineLock.lock();
        try {
            connection.setMaxTextMessageSize(textLimit);
            connection.setMaxBinaryMessageSize(binaryLimit);
            connection.setMaxFrameSize(Math.max(textLimit, binaryLimit));
        } finally {
            engineLock.unlock();
        }
    }

    private void scheduleIdleCheck() {
        long timeout = maxIdleTimeout;
        ScheduledFuture<?> previous = idleCheck;
        if (previous != null) {
            previous.cancel(false);
        }
        if (timeout <= 0 || !active) {
            return;
        }
        long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivity);
        idleCheck = settings.timers().schedule(this::checkIdle, Math.max(1, timeout - idleMillis), TimeUnit.MILLISECONDS);
    }

    private void checkIdle() {
        long timeout = maxIdleTimeout;
        if (timeout <= 0 || !active) {
            return;
        }
        if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivity) >= timeout) {
            // The peer hears 1001 (going away). The endpoint hears 1006: WebSocket 2.2 §2.1.5 (WSC-2.1.5-1)
            // has a close the local container initiated, "for example if [it] determines the session has
            // timed out", reported with 1006 and a suitable reason, so that the endpoint can tell it from a
            // close the peer initiated; the TCK checks exactly this for an idle timeout.
            String reason = "idle timeout of " + timeout + " ms passed";
            closeWith(new CloseStatus(CloseStatus.GOING_AWAY, reason),
                    new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, reason));
        } else {
            scheduleIdleCheck();
        }
    }

    /** The session's side of its {@link KeepaliveTimer}. */
    private final class KeepalivePeer implements KeepaliveTimer.Peer {
        @Override
        public long lastHeardNanos() {
            return lastHeard;
        }

        @Override
        public boolean ping() {
            if (!active) {
                return false;
            }
            try {
                outbound.sendControl(true, KEEPALIVE_PING.duplicate());
                return true;
            } catch (IOException closed) {
                return false;
            }
        }

        @Override
        public void silent(long waitedMillis) {
            // As for the idle timeout: the peer hears 1001, the endpoint 1006 (WSC-2.1.5-1, see checkIdle). A
            // peer that is gone never reads the close frame; the close deadline then ends the connection.
            String reason = "no answer to a keepalive ping within " + waitedMillis + " ms";
            closeWith(new CloseStatus(CloseStatus.GOING_AWAY, reason),
                    new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, reason));
        }
    }

    /** Stops or resumes reading from the peer, while the application is behind with received messages. */
    void setReading(boolean reading) {
        if (reading) {
            readingHolds.release(ReadingHolds.BACKLOG);
        } else {
            readingHolds.hold(ReadingHolds.BACKLOG);
        }
    }

    /** Sending or receiving keeps the session from going idle. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    SessionSettings settings() {
        return settings;
    }

    // --------------------------------------------------------------------------------- Session API

    @Override
    public WebSocketContainer getContainer() {
        requireNotClosed();
        return container;
    }

    @Override
    public void addMessageHandler(MessageHandler handler) {
        requireNotClosed();
        handlers.add(handler);
    }

    @Override
    public <T> void addMessageHandler(Class<T> type, MessageHandler.Whole<T> handler) {
        requireNotClosed();
        handlers.add(type, handler, false);
    }

    @Override
    public <T> void addMessageHandler(Class<T> type, MessageHandler.Partial<T> handler) {
        requireNotClosed();
        handlers.add(type, handler, true);
    }

    @Override
    public Set<MessageHandler> getMessageHandlers() {
        requireNotClosed();
        return handlers.all();
    }

    @Override
    public void removeMessageHandler(MessageHandler handler) {
        requireNotClosed();
        handlers.remove(handler);
    }

    @Override
    public String getProtocolVersion() {
        requireNotClosed();
        return "13";
    }

    @Override
    public String getNegotiatedSubprotocol() {
        requireNotClosed();
        return handshake.subprotocol();
    }

    @Override
    public List<Extension> getNegotiatedExtensions() {
        requireNotClosed();
        return handshake.extensions();
    }

    @Override
    public boolean isSecure() {
        requireNotClosed();
        return transport.isSecure();
    }

    /** Whether no close has begun: messages can still be sent. */
    boolean acceptsMessages() {
        return active;
    }

    @Override
    public boolean isOpen() {
        // "true if and only if the underlying socket is open": it is, until the close handshake is over
        // and onClose has been told; sends in between fail because the close frame has gone.
        return !closeNotified;
    }

    @Override
    public long getMaxIdleTimeout() {
        requireNotClosed();
        return maxIdleTimeout;
    }

    @Override
    public void setMaxIdleTimeout(long milliseconds) {
        requireNotClosed();
        maxIdleTimeout = milliseconds;
        scheduleIdleCheck();
    }

    @Override
    public void setMaxBinaryMessageBufferSize(int length) {
        requireNotClosed();
        maxBinaryMessageBuffer = positive(length);
        updateLimits();
    }

    @Override
    public int getMaxBinaryMessageBufferSize() {
        requireNotClosed();
        return maxBinaryMessageBuffer;
    }

    @Override
    public void setMaxTextMessageBufferSize(int length) {
        requireNotClosed();
        maxTextMessageBuffer = positive(length);
        updateLimits();
    }

    @Override
    public int getMaxTextMessageBufferSize() {
        requireNotClosed();
        return maxTextMessageBuffer;
    }

    @Override
    public RemoteEndpoint.Async getAsyncRemote() {
        requireNotClosed();
        return asyncRemote;
    }

    @Override
    public RemoteEndpoint.Basic getBasicRemote() {
        requireNotClosed();
        return basicRemote;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public URI getRequestURI() {
        requireNotClosed();
        return handshake.requestUri();
    }

    @Override
    public Map<String, List<String>> getRequestParameterMap() {
        requireNotClosed();
        return RequestParameters.of(handshake.requestUri().getRawQuery(), handshake.pathParameters());
    }

    @Override
    public String getQueryString() {
        requireNotClosed();
        return handshake.requestUri().getRawQuery();
    }

    @Override
    public Map<String, String> getPathParameters() {
        requireNotClosed();
        return handshake.pathParameters();
    }

    @Override
    public Map<String, Object> getUserProperties() {
        requireNotClosed();
        return userProperties;
    }

    @Override
    public Principal getUserPrincipal() {
        requireNotClosed();
        return handshake.userPrincipal();
    }

    @Override
    public Set<Session> getOpenSessions() {
        requireNotClosed();
        return group.openSessions();
    }

    @Override
    public String toString() {
        return "BreakwaterSession[" + id + " " + handshake.requestUri() + "]";
    }

    /** Session: "Calling any of its methods (with the exception of the close() methods) once the session has been closed will result in an IllegalStateException". */
    private void requireNotClosed() {
        if (closeNotified) {
            throw new IllegalStateException("session " + id + " is closed");
        }
    }

    private static int positive(int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("a buffer size must be positive: " + length);
        }
        return length;
    }
}
