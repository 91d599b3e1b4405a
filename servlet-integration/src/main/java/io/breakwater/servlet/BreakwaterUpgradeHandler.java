package io.breakwater.servlet;

import io.breakwater.api.BreakwaterSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Takes over a connection upgraded with {@link jakarta.servlet.http.HttpServletRequest#upgrade}: opens
 * the WebSocket session on a {@link ServletTransport} over the {@link WebConnection}.
 */
public final class BreakwaterUpgradeHandler implements HttpUpgradeHandler {

    private SessionOpening opening;
    private UpgradedAddresses addresses;
    private ServletTransport transport;

    /** Instantiated by the servlet container. */
    public BreakwaterUpgradeHandler() {
    }

    /** Called by the filter after {@code request.upgrade(...)} returned, before {@link #init}. */
    void prepare(SessionOpening opening, UpgradedAddresses addresses) {
        this.opening = opening;
        this.addresses = addresses;
    }

    @Override
    public void init(WebConnection connection) {
        if (opening == null) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // nothing was opened on it
            }
            return;
        }
        try {
            transport = new ServletTransport(connection, opening.executor(), addresses);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BreakwaterSession session = opening.open(transport);
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
