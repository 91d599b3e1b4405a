package io.breakwater.api.annotated;

import io.breakwater.protocol.ProtocolException;
import jakarta.websocket.DecodeException;

/**
 * Tells errors a peer caused from errors of the application: a peer that breaks RFC 6455 or sends a
 * message no decoder accepts is answered with a close code, and logging it as an operator's problem
 * would let any client write to the server's log at will.
 */
final class PeerFaults {

    private PeerFaults() {
    }

    /**
     * Whether {@code error} is the peer's doing: a protocol violation the engine closed the connection
     * for ({@link ProtocolException}: 1002, 1007, 1009), or a {@link DecodeException} (§4.7.1: the message
     * the peer sent could not be decoded).
     */
    static boolean isPeerFault(Throwable error) {
        return error instanceof ProtocolException || error instanceof DecodeException;
    }
}
