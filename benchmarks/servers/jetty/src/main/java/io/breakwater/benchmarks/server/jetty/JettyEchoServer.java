package io.breakwater.benchmarks.server.jetty;

import io.breakwater.benchmarks.server.echo.EchoEndpoint;
import io.breakwater.benchmarks.server.echo.Listening;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The echo endpoint on Jetty 12.1's own ee11 Jakarta WebSocket provider, in the same embedded server as
 * Breakwater's (same connector, same thread pool defaults). Jetty negotiates permessage-deflate by default.
 */
public final class JettyEchoServer {

    private JettyEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(Listening.HOST);
        connector.setPort(Listening.requestedPort(args));
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        JakartaWebSocketServletContainerInitializer.configure(context,
                (servletContext, container) -> container.addEndpoint(EchoEndpoint.class));
        jetty.setHandler(context);
        jetty.start();
        Listening.announce(connector.getLocalPort());
        jetty.join();
    }
}
