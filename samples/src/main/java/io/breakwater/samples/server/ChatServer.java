package io.breakwater.samples.server;

import io.breakwater.samples.chat.ChatEndpoint;
import io.breakwater.samples.echo.EchoEndpoint;
import io.breakwater.servlet.BreakwaterServletContainerInitializer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
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
    private final String pageHost;

    private ChatServer(Server jetty, ServerConnector connector, String pageHost) {
        this.jetty = jetty;
        this.connector = connector;
        this.pageHost = pageHost;
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
            server = start(options.host(), options.port());
        } catch (PortInUseException | HostUnavailableException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("Breakwater chat is running: open " + server.pageUri() + " (Ctrl-C stops it)");
        server.jetty.join();
    }

    /** Starts listening on every interface at {@code port}; 0 picks a free port. */
    public static ChatServer start(int port) throws Exception {
        return start(Optional.empty(), port);
    }

    /**
     * Starts listening on {@code host} (a name or an address; every interface when empty) at {@code port};
     * 0 picks a free port.
     */
    public static ChatServer start(Optional<String> host, int port) throws Exception {
        Optional<InetAddress> address = host.isPresent() ? Optional.of(resolve(host.get())) : Optional.empty();
        Server jetty = new Server();
        jetty.setStopAtShutdown(true); // Ctrl-C closes open chats with 1001 (going away).
        ServerConnector connector = new ServerConnector(jetty);
        // Jetty listens on every interface when its connector has no host.
        connector.setHost(address.map(InetAddress::getHostAddress).orElse(null));
        connector.setPort(port);
        jetty.addConnector(connector);
        jetty.setHandler(application(jetty));
        try {
            // Opened before the start, so that a taken port is one clear exception rather than
            // one among the failures Jetty collects while starting.
            connector.open();
        } catch (IOException e) {
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw bindFailure(host, address, port, e);
            }
            throw e;
        }
        jetty.start();
        return new ChatServer(jetty, connector, pageHost(host, address));
    }

    private static InetAddress resolve(String host) throws HostUnavailableException {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw HostUnavailableException.unknown(host, e);
        }
    }

    /**
     * Which of the two a {@code BindException} means: the errno behind it (EADDRINUSE or EADDRNOTAVAIL)
     * reaches Java only as the system's message text, so the address is tried again on a free port.
     */
    private static IOException bindFailure(Optional<String> host, Optional<InetAddress> address, int port,
            IOException failure) {
        if (address.isPresent()) {
            try (ServerSocket probe = new ServerSocket(0, 1, address.get())) {
                // The address is this machine's: it was the port.
            } catch (IOException notLocal) {
                return HostUnavailableException.notLocal(host.get(), failure);
            }
        }
        return new PortInUseException(port, failure);
    }

    /** The host in the URL to open: the one given, or localhost when the chat listens on every interface. */
    private static String pageHost(Optional<String> host, Optional<InetAddress> address) {
        if (address.isEmpty() || address.get().isAnyLocalAddress()) {
            return "localhost";
        }
        // An IPv6 literal goes in brackets in a URL (RFC 3986 §3.2.2).
        String given = host.get();
        return given.contains(":") && !given.startsWith("[") ? "[" + given + "]" : given;
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
        return URI.create("http://" + pageHost + ":" + port() + "/");
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
