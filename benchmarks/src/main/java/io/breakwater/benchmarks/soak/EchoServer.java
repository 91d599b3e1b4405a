package io.breakwater.benchmarks.soak;

import io.breakwater.server.BreakwaterServerContainer;
import io.breakwater.servlet.BreakwaterServletContainerInitializer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server under soak: Breakwater deployed through its {@code ServletContainerInitializer} in embedded
 * Jetty 12.1 (ee11), with an echo endpoint at {@code /echo} and, at {@code /stats}, what the soak
 * compares before and after: open sessions, heap in use (after a GC when asked) and live threads.
 */
final class EchoServer implements AutoCloseable {

    /** Echoes every text message, as it came. */
    @ServerEndpoint("/echo")
    public static class Echo {
        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

    /** {@code GET /stats[?gc]}: one line, see {@link ServerStats#parse}. */
    public static class Stats extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getParameter("gc") != null) {
                ServerStats.collectGarbage();
            }
            BreakwaterServerContainer container = (BreakwaterServerContainer) getServletContext()
                    .getAttribute(BreakwaterServletContainerInitializer.CONTAINER_ATTRIBUTE);
            int sessions = container.endpointConfigs().stream()
                    .mapToInt(config -> container.group(config).sessions().size()).sum();
            Runtime runtime = Runtime.getRuntime();
            ServerStats stats = new ServerStats(sessions, runtime.totalMemory() - runtime.freeMemory(),
                    ManagementFactory.getThreadMXBean().getThreadCount());
            response.setContentType("text/plain");
            response.getWriter().print(stats.format());
        }
    }

    private final Server server;
    private final ServerConnector connector;

    private EchoServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Starts listening on {@code host}:{@code port} (0 for any free port). */
    static EchoServer start(String host, int port) throws Exception {
        // Jetty's pool grows under load and by default lets one idle thread go per minute; a soak that checks
        // that threads return to their starting level would wait hours. Idle threads go after 10 s here.
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setIdleTimeout(10_000);
        threads.setMaxEvictCount(1_000);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(4096); // thousands of connects at once; the default backlog is 50
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), Echo.class);
        context.addServlet(new ServletHolder(new Stats()), "/stats");
        server.setHandler(context);
        server.start();
        return new EchoServer(server, connector);
    }

    URI echoUri() {
        return URI.create("ws://" + connector.getHost() + ":" + connector.getLocalPort() + "/echo");
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
