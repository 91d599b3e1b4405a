package io.breakwater.servlet;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Embedded Jetty 12.1 with one connector on a free port of 127.0.0.1. */
final class EmbeddedJetty {

    private EmbeddedJetty() {
    }

    static Server server(QueuedThreadPool threads) {
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        return server;
    }

    /**
     * Starts {@code server} (from {@link #server}) with {@code handler}, and returns the port it listens
     * on. The caller keeps the server before this, so as to stop it after a start that failed.
     */
    static int start(Server server, Handler handler) throws Exception {
        server.setHandler(handler);
        server.start();
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
