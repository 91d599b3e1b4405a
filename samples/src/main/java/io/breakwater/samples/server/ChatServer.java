package io.breakwater.samples.server;

import io.breakwater.samples.chat.ChatEndpoint;
import io.breakwater.samples.echo.EchoEndpoint;
import io.breakwater.servlet.BreakwaterServletContainerInitializer;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import org.eclipse.jetty.ee11.servlet.DefaultServlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The chat application on embedded Jetty 12.1, used as a plain servlet container: Breakwater comes in
 * through its {@code ServletContainerInitializer}, exactly as it does in a WAR, and Jetty's default
 * servlet serves the page from the class path.
 */
public final class ChatServer implements AutoCloseable {

    private final Server jetty;
    private final ServerConnector connector;

    private ChatServer(Server jetty, ServerConnector connector) {
        this.jetty = jetty;
        this.connector = connector;
    }

    public static void main(String[] args) throws Exception {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ChatServer server;
        try {
            server = start(options.port());
        } catch (PortInUseException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("Breakwater chat is running: open " + server.pageUri() + " (Ctrl-C stops it)");
        server.jetty.join();
    }

    /** Starts listening on every interface at {@code port}; 0 picks a free port. */
    public static ChatServer start(int port) throws Exception {
        Server jetty = new Server();
        jetty.setStopAtShutdown(true); // Ctrl-C closes open chats with 1001 (going away).
        ServerConnector connector = new ServerConnector(jetty);
        connector.setPort(port);
        jetty.addConnector(connector);
        jetty.setHandler(application(jetty));
        try {
            // Opened before the start, so that a taken port is one clear exception rather than
            // one among the failures Jetty collects while starting.
            connector.open();
        } catch (IOException e) {
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new PortInUseException(port, e);
            }
            throw e;
        }
        jetty.start();
        return new ChatServer(jetty, connector);
    }

    private static ServletContextHandler application(Server jetty) {
        ServletContextHandler context = new ServletContextHandler("/");
        // A deployed WAR is scanned for these; embedded, they are named.
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(),
                ChatEndpoint.class, EchoEndpoint.class);
        context.setBaseResource(ResourceFactory.of(jetty).newClassLoaderResource("webapp/"));
        context.setWelcomeFiles(new String[] {"index.html"});
        context.addServlet(DefaultServlet.class, "/");
        return context;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The page to open in a browser. */
    public URI pageUri() {
        return URI.create("http://localhost:" + port() + "/");
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
