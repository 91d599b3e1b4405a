package io.breakwater.servlet;

import jakarta.servlet.ServletContext;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The most threads the pool of a Jetty 12.1 server may have: the pool that reads the connections, and
 * in which Breakwater runs an application's callbacks while fewer than the callback limit run
 * ({@link ServerThreads#defaultCallbackThreads}).
 *
 * <p>Loaded only when Jetty's classes are visible ({@link UpgradeMechanism.JettyMechanism#jettyVisible}).
 */
final class JettyThreadPoolSize {

    private JettyThreadPoolSize() {
    }

    /**
     * @return the maximum size of the pool of the server that runs {@code context}; 0 where it is not
     *     known: no Jetty ee11 context, or a pool without a fixed size (virtual threads, say)
     */
    static int maxThreads(ServletContext context) {
        ServletContextHandler handler = ServletContextHandler.getServletContextHandler(context);
        Server server = handler == null ? null : handler.getServer();
        if (server != null && server.getThreadPool() instanceof ThreadPool.SizedThreadPool sized) {
            return Math.max(0, sized.getMaxThreads());
        }
        return 0;
    }
}
