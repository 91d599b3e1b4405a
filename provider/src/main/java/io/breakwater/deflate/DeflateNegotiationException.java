package io.breakwater.deflate;

/**
 * A server's permessage-deflate response the client cannot accept (RFC 7692 §5.1, §7.1): the client
 * must fail the WebSocket connection. The message names the problem.
 */
public final class DeflateNegotiationException extends Exception {

    public DeflateNegotiationException(String message) {
        super(message);
    }
}
