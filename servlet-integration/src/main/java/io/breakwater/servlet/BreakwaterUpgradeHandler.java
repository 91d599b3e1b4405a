package io.breakwater.servlet;

import io.breakwater.api.BreakwaterSession;
import io.breakwater.server.BreakwaterServerContainer;
import io.breakwater.server.ServerUpgrade;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.util.concurrent.Executor;

/**
 * Takes over a connection the {@link BreakwaterUpgradeFilter} upgraded: opens the WebSocket session
 * on a {@link ServletTransport} over the {@link WebConnection}.
 */
public final class BreakwaterUpgradeHandler implements HttpUpgradeHandler {

    private ServerUpgrade.Acceptance acceptance;
    private BreakwaterServerContainer container;
    private Executor executor;
    private ClassLoader applicationLoader;
    private SocketAddress local;
    private SocketAddress remote;
    private boolean secure;
    private ServletTransport transport;

    /** Instantiated by the servlet container. */
    public BreakwaterUpgradeHandler() {
    }

    /** Called by the filter after {@code request.upgrade(...)} returned, before {@link #init}. */
    void prepare(ServerUpgrade.Acceptance acceptance, BreakwaterServerContainer container, Executor executor,
                 ClassLoader applicationLoader, SocketAddress local, SocketAddress remote, boolean secure) {
        this.acceptance = acceptance;
        this.container = container;
        this.executor = executor;
        this.applicationLoader = applicationLoader;
        this.local = local;
        this.remote = remote;
        this.secure = secure;
    }

    @Override
    public void init(WebConnection connection) {
        if (acceptance == null) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // nothing was opened on it
            }
            return;
        }
        try {
            transport = new ServletTransport(connection, executor, local, remote, secure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BreakwaterSession session = acceptance.open(transport, container.sessionSettings(), container,
                container.group(acceptance.config()), applicationLoader);
        transport.start(session);
    }

    @Override
    public void destroy() {
        ServletTransport current = transport;
        if (current != null) {
            current.abort();
        }
    }
}
