package io.breakwater.servlet;

import io.breakwater.api.BreakwaterSession;
import io.breakwater.server.BreakwaterServerContainer;
import io.breakwater.server.ServerUpgrade;
import io.breakwater.transport.Transport;
import java.util.concurrent.Executor;

/**
 * An accepted handshake waiting for its connection: once the servlet container hands over the
 * upgraded byte stream, {@link #open} starts the WebSocket session on it.
 */
final class SessionOpening {

    private final ServerUpgrade.Acceptance acceptance;
    private final BreakwaterServerContainer container;
    private final Executor executor;
    private final ClassLoader applicationLoader;

    SessionOpening(ServerUpgrade.Acceptance acceptance, BreakwaterServerContainer container, Executor executor,
                   ClassLoader applicationLoader) {
        this.acceptance = acceptance;
        this.container = container;
        this.executor = executor;
        this.applicationLoader = applicationLoader;
    }

    /** The threads that run transport completions and callbacks. */
    Executor executor() {
        return executor;
    }

    /** Opens the session; the endpoint's callbacks run with the web application's class loader. */
    BreakwaterSession open(Transport transport) {
        return acceptance.open(transport, container.sessionSettings(), container,
                container.group(acceptance.config()), applicationLoader);
    }
}
