package io.breakwater.servlet;

import io.breakwater.transport.TransportHandler;
import io.breakwater.transport.Transport.WriteCompletion;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The servlet transports' calls into the session, guarded: a handler or a completion that throws is
 * logged on the transport's logger, and the transport goes on (its read loop, its pump) as if it had
 * returned. One place for the rule, for {@link JettyTunnel}, {@link TomcatTunnel} and {@link ServletTransport}.
 */
final class TransportCallOuts {

    private TransportCallOuts() {
    }

    /** An input call ({@code onData}, {@code onEndOfInput}); the caller holds no lock of its own. */
    static void callHandler(Logger log, TransportHandler handler, Consumer<TransportHandler> call, String what) {
        try {
            call.accept(handler);
        } catch (RuntimeException e) {
            log.log(Level.WARNING, "transport handler failed in " + what, e);
        }
    }

    static void complete(Logger log, WriteCompletion done, Throwable failure) {
        try {
            done.completed(failure);
        } catch (RuntimeException e) {
            log.log(Level.WARNING, "write completion failed", e);
        }
    }
}
