package io.breakwater.client;

import io.breakwater.api.BreakwaterSession;
import io.breakwater.handshake.HandshakeException;
import io.breakwater.handshake.HttpResponseHead;
import io.breakwater.transport.TransportHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The transport's handler of a client connection: first it reads the server's handshake response,
 * then it passes everything on to the session made from that response. Bytes that arrived with the
 * response (the server's first frames) go to the session too.
 */
final class ClientHandshaking implements TransportHandler {

    private final HttpResponseHead.Parser parser = HttpResponseHead.parser();
    private final CompletableFuture<HttpResponseHead> response = new CompletableFuture<>();
    private volatile TransportHandler session;
    private ByteBuffer early;

    /** The server's response head, or the reason none came. */
    CompletableFuture<HttpResponseHead> response() {
        return response;
    }

    /**
     * Hands the connection over to the session that {@code open} makes from the response; called on the
     * transport's thread (the completion of {@link #response()}), before any further input.
     */
    BreakwaterSession handOver(Function<HttpResponseHead, BreakwaterSession> open, HttpResponseHead head) {
        BreakwaterSession opened = open.apply(head);
        session = opened;
        if (early != null && early.hasRemaining()) {
            opened.onData(early);
        }
        early = null;
        return opened;
    }

    @Override
    public void onData(ByteBuffer data) {
        TransportHandler next = session;
        if (next != null) {
            next.onData(data);
            return;
        }
        try {
            Optional<HttpResponseHead> head = parser.parse(data);
            if (head.isPresent()) {
                // Copied: the transport's buffer is only valid during this call.
                early = ByteBuffer.allocate(data.remaining()).put(data).flip();
                response.complete(head.get());
            }
        } catch (HandshakeException malformed) {
            response.completeExceptionally(malformed);
        }
    }

    @Override
    public void onEndOfInput() {
        TransportHandler next = session;
        if (next != null) {
            next.onEndOfInput();
        } else {
            response.completeExceptionally(new IOException("the server closed the connection during the handshake"));
        }
    }

    @Override
    public void onClosed(Throwable failure) {
        TransportHandler next = session;
        if (next != null) {
            next.onClosed(failure);
        } else {
            response.completeExceptionally(failure != null ? failure
                    : new IOException("the connection closed during the handshake"));
        }
    }
}
