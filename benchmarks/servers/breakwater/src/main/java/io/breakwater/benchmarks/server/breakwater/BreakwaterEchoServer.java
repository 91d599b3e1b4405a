package io.breakwater.benchmarks.server.breakwater;

import io.breakwater.benchmarks.server.echo.EchoEndpoint;
import io.breakwater.benchmarks.server.echo.Listening;
import io.breakwater.servlet.BreakwaterServletContainerInitializer;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The echo endpoint on Breakwater, deployed through its {@code ServletContainerInitializer} into embedded
 * Jetty 12.1 (ee11) used as a plain servlet container, as a WAR would be. permessage-deflate is always
 * installed; Breakwater agrees to it when a client offers it.
 */
public final class BreakwaterEchoServer {

    private BreakwaterEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        Server jetty = start(Listening.requestedPort(args));
        Listening.announce(((ServerConnector) jetty.getConnectors()[0]).getLocalPort());
        jetty.join();
    }

    /** Started and listening on loopback; port 0 picks a free one. */
    public static Server start(int port) throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(Listening.HOST);
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), EchoEndpoint.class);
        jetty.setHandler(context);
        jetty.start();
        return jetty;
    }
}
