package io.breakwater.handshake;

/**
 * The opening handshake (RFC 6455 §4) failed.
 *
 * <p>{@link #status()} depends on the side that raised it:
 * <ul>
 *   <li>on the server side (request parsing and validation), the HTTP status the server should answer
 *       with, e.g. 400, 414 or 431;</li>
 *   <li>on the client side, the status code of the response that was received (e.g. 404 for a refused
 *       upgrade, or 101 for a {@code 101} response whose header fields are wrong), or
 *       {@link #NO_STATUS} when no valid status line was received.</li>
 * </ul>
 */
public class HandshakeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The status when none applies, e.g. a response whose head could not be parsed. */
    public static final int NO_STATUS = -1;

    private final int status;

    public HandshakeException(int status, String message) {
        super(message);
        this.status = status;
    }

    public HandshakeException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status to answer with (server side), the one received (client side), or {@link #NO_STATUS}. */
    public int status() {
        return status;
    }
}
