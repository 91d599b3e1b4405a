package io.breakwater.client;

import io.breakwater.api.BreakwaterSession;
import io.breakwater.handshake.HandshakeException;
import io.breakwater.handshake.HttpResponseHead;
import io.breakwater.transport.NioTransport;
import io.breakwater.transport.SelectorLoop;
import io.breakwater.transport.TransportHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One client connection, as its transport's handler from the handshake request to the end:
 *
 * <ol>
 *   <li><b>Response</b>, on the selector thread: the server's response head is parsed and validated
 *       ({@link ResponseCheck}), pure functions of the bytes that take no application code.</li>
 *   <li><b>Opening</b>, on a callback thread: reading is suspended, the bytes that came with the
 *       response are kept, and the configurator's {@code afterResponse} and the session's creation
 *       (its decoders' and encoders' {@code init}) run where application code may take its time.
 *       Meanwhile the selector thread serves the other connections; what the server sends next
 *       waits in TCP.</li>
 *   <li><b>Open</b>, back on the selector thread: the session becomes the handler. It gets the kept
 *       bytes first, then reading resumes, so that the frames the server sent with its 101 reach the
 *       session in order. From then on every call is passed on to it.</li>
 * </ol>
 *
 * <p>The connection stays the handler after the hand-over (rather than the session replacing it on
 * the transport) so that the container learns when the transport has closed ({@code whenClosed}),
 * whoever closed it: that is when the connection stops holding a selector loop.
 *
 * <p>Threads: {@link NioTransport} calls every handler method on its loop's thread, and the phase and
 * what is kept belong to that thread. The opening's task only reads what the response phase handed it
 * and hands the session back through the loop's queue.
 */
final class ClientConnection implements TransportHandler {

    /** Validates the server's response on the selector thread, and says how to open the session. */
    @FunctionalInterface
    interface ResponseCheck {
        /**
         * @return what opens the session (application code included), to be run on a callback thread
         * @throws Exception what the connect reports: a {@link HandshakeException} for a rejected or
         *                   invalid response, a {@code DeploymentException} for an unacceptable extension
         */
        Callable<BreakwaterSession> check(HttpResponseHead response) throws Exception;
    }

    private enum Phase { RESPONSE, OPENING, OPEN, FAILED }

    private final NioTransport transport;
    private final SelectorLoop loop;
    private final Executor callbacks;
    private final ResponseCheck check;
    private final Consumer<ClientConnection> whenClosed;
    private final HttpResponseHead.Parser parser = HttpResponseHead.parser();
    private final CompletableFuture<BreakwaterSession> opened = new CompletableFuture<>();

    // The loop's thread only.
    private Phase phase = Phase.RESPONSE;
    /** Input that came with the response or during the opening, for the session. */
    private ByteBuffer kept;
    private boolean endedWhileOpening;
    private boolean closedWhileOpening;
    private Throwable closeFailure;
    private BreakwaterSession session;

    /**
     * @param callbacks  where the opening runs: the container's callback threads
     * @param whenClosed told once, on the loop's thread, when the transport has closed
     */
    ClientConnection(NioTransport transport, SelectorLoop loop, Executor callbacks, ResponseCheck check,
                     Consumer<ClientConnection> whenClosed) {
        this.transport = transport;
        this.loop = loop;
        this.callbacks = callbacks;
        this.check = check;
        this.whenClosed = whenClosed;
    }

    /**
     * The open session, or why there is none. A caller that gives up completes it exceptionally first
     * and then aborts the transport; an opening that has not begun then does not begin.
     */
    CompletableFuture<BreakwaterSession> opened() {
        return opened;
    }

    /** Closes the connection now, whatever phase it is in. */
    void abort() {
        transport.abort();
    }

    // ----------------------------------------------------------------------------- the loop's thread

    @Override
    public void onData(ByteBuffer data) {
        switch (phase) {
            case OPEN -> session.onData(data);
            case RESPONSE -> readResponse(data);
            case OPENING -> keep(data); // reading is suspended; a transport may still hand over what it decrypted
            case FAILED -> data.position(data.limit());
        }
    }

    private void readResponse(ByteBuffer data) {
        Optional<HttpResponseHead> head;
        Callable<BreakwaterSession> opening;
        try {
            head = parser.parse(data);
            if (head.isEmpty()) {
                return;
            }
            opening = check.check(head.get());
        } catch (Exception invalid) {
            fail(invalid);
            return;
        }
        // Nothing more is read until the session can take it; the bytes after the head are the
        // server's first frames (the buffer is the transport's, valid only during this call).
        transport.suspendReading();
        keep(data);
        phase = Phase.OPENING;
        try {
            callbacks.execute(() -> open(opening));
        } catch (RejectedExecutionException stopped) {
            fail(new IOException("the client container is closed", stopped));
        }
    }

    private void keep(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        int before = kept == null ? 0 : kept.remaining();
        ByteBuffer grown = ByteBuffer.allocate(before + data.remaining());
        if (kept != null) {
            grown.put(kept);
        }
        kept = grown.put(data).flip();
    }

    @Override
    public void onEndOfInput() {
        switch (phase) {
            case OPEN -> session.onEndOfInput();
            case RESPONSE -> fail(new IOException("the server closed the connection during the handshake"));
            case OPENING -> endedWhileOpening = true;
            case FAILED -> { }
        }
    }

    @Override
    public void onClosed(Throwable failure) {
        try {
            switch (phase) {
                case OPEN -> session.onClosed(failure);
                case RESPONSE -> opened.completeExceptionally(failure != null ? failure
                        : new IOException("the connection closed during the handshake"));
                case OPENING -> {
                    // The session being made hears of it once it exists (handOver).
                    closedWhileOpening = true;
                    closeFailure = failure;
                }
                case FAILED -> { }
            }
        } finally {
            whenClosed.accept(this);
        }
    }

    private void fail(Exception cause) {
        phase = Phase.FAILED;
        opened.completeExceptionally(cause);
        transport.abort();
    }

    /** The session exists: it takes over, after the bytes kept for it. */
    private void handOver(BreakwaterSession created) {
        session = created;
        phase = Phase.OPEN;
        ByteBuffer first = kept;
        kept = null;
        if (!closedWhileOpening) {
            // Resumed before the kept bytes go in: a session that holds them until its onOpen has
            // returned suspends reading again as it takes them, and that must be the last word.
            transport.resumeReading();
        }
        if (first != null) {
            session.onData(first);
        }
        if (endedWhileOpening && !closedWhileOpening) {
            session.onEndOfInput();
        }
        if (closedWhileOpening) {
            session.onClosed(closeFailure);
        }
        opened.complete(session);
    }

    // ------------------------------------------------------------------------------ a callback thread

    private void open(Callable<BreakwaterSession> opening) {
        if (opened.isDone()) {
            return; // the caller gave up and aborted the transport
        }
        BreakwaterSession created;
        try {
            created = opening.call();
        } catch (Throwable failure) {
            opened.completeExceptionally(failure);
            transport.abort();
            if (failure instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            return;
        }
        try {
            loop.execute(() -> handOver(created));
        } catch (RejectedExecutionException stopped) {
            // The loop stopped (its container closed) and closed the transport as it did.
            IOException closed = new IOException("the client container is closed", stopped);
            opened.completeExceptionally(closed);
            created.onClosed(closed);
        }
    }
}
