package io.breakwater.api;

import io.breakwater.api.OutboundChannel.Kind;
import jakarta.websocket.EncodeException;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * {@link RemoteEndpoint.Async}: sends that return at once. Messages go out in the order sent; when
 * more than the session's queue limit is waiting to be written, a send is refused at once instead of
 * buffering without bound, and fails with {@link SendQueueFullException} in its turn: every send's
 * result comes in send order. A send not written within the send timeout fails with a
 * {@link SocketTimeoutException}, and the connection is dropped, since what reached the peer is then
 * unknown.
 */
final class AsyncRemote extends Remote implements RemoteEndpoint.Async {

    private volatile long sendTimeout;
    private final SendOutcomes outcomes;

    AsyncRemote(BreakwaterSession session, OutboundChannel channel, Encoders encoders) {
        super(session, channel, encoders);
        this.sendTimeout = session.settings().sendTimeoutMillis();
        this.outcomes = new SendOutcomes(session.settings().timers(), session::abort);
    }

    @Override
    public long getSendTimeout() {
        return sendTimeout;
    }

    @Override
    public void setSendTimeout(long timeoutMillis) {
        sendTimeout = timeoutMillis;
    }

    @Override
    public void sendText(String text, SendHandler handler) {
        requireNonNull(text, "text");
        requireNonNull(handler, "handler");
        send(Kind.TEXT, BasicRemote.utf8(text), toHandler(handler));
    }

    @Override
    public Future<Void> sendText(String text) {
        requireNonNull(text, "text");
        CompletableFuture<Void> future = new CompletableFuture<>();
        send(Kind.TEXT, BasicRemote.utf8(text), toFuture(future));
        return future;
    }

    @Override
    public Future<Void> sendBinary(ByteBuffer data) {
        requireNonNull(data, "data");
        CompletableFuture<Void> future = new CompletableFuture<>();
        sendConsuming(data, toFuture(future));
        return future;
    }

    @Override
    public void sendBinary(ByteBuffer data, SendHandler handler) {
        requireNonNull(data, "data");
        requireNonNull(handler, "handler");
        sendConsuming(data, toHandler(handler));
    }

    /**
     * Sends the caller's buffer, moved to its limit once the send succeeded, before the caller is told
     * (see {@link #consumed}). A refused send lets go of the buffer at once: its refusal may wait a while
     * for the sends before it, and should not keep the application's bytes meanwhile.
     */
    private void sendConsuming(ByteBuffer data, Consumer<Throwable> done) {
        ConsumedOnSuccess consuming = new ConsumedOnSuccess(data, done);
        if (!send(Kind.BINARY, data.slice(), consuming)) {
            consuming.data = null;
        }
    }

    private static final class ConsumedOnSuccess implements Consumer<Throwable> {
        private volatile ByteBuffer data;
        private final Consumer<Throwable> done;

        ConsumedOnSuccess(ByteBuffer data, Consumer<Throwable> done) {
            this.data = data;
            this.done = done;
        }

        @Override
        public void accept(Throwable failure) {
            ByteBuffer sent = data;
            if (failure == null && sent != null) {
                consumed(sent);
            }
            done.accept(failure);
        }
    }

    @Override
    public Future<Void> sendObject(Object data) {
        requireNonNull(data, "data");
        CompletableFuture<Void> future = new CompletableFuture<>();
        sendEncoded(data, toFuture(future));
        return future;
    }

    @Override
    public void sendObject(Object data, SendHandler handler) {
        requireNonNull(data, "data");
        requireNonNull(handler, "handler");
        sendEncoded(data, toHandler(handler));
    }

    private void sendEncoded(Object data, Consumer<Throwable> done) {
        Encoders.Encoded encoded;
        try {
            encoded = encoders.encode(data);
        } catch (EncodeException | IOException | RuntimeException e) {
            channel.failInTurn(e, outcomes.start(0, done)::finish);
            return;
        }
        if (encoded.isText()) {
            send(Kind.TEXT, BasicRemote.utf8(encoded.text()), done);
        } else {
            send(Kind.BINARY, encoded.binary().slice(), done);
        }
    }

    /** @return false when the channel refused the message at once (see {@link OutboundChannel#sendAsync}) */
    private boolean send(Kind kind, ByteBuffer payload, Consumer<Throwable> done) {
        session.touch();
        // "Non-positive values indicate an infinite timeout" (RemoteEndpoint.Async#setSendTimeout)
        SendOutcomes.Send send = outcomes.start(sendTimeout, done);
        boolean accepted = channel.sendAsync(kind, payload, send::finish);
        if (!accepted) {
            send.unwatch();
        }
        return accepted;
    }

    /**
     * A SendHandler is application code: it runs on the session's completion executor, in send order,
     * never on the I/O thread and never waiting for a callback thread (see {@link BreakwaterSession#completion}).
     */
    private Consumer<Throwable> toHandler(SendHandler handler) {
        return failure -> session.completion(() ->
                handler.onResult(failure == null ? new SendResult() : new SendResult(failure)));
    }

    private static Consumer<Throwable> toFuture(CompletableFuture<Void> future) {
        return failure -> {
            if (failure == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(failure);
            }
        };
    }
}
