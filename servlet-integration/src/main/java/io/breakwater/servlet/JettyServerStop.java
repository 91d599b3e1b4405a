package io.breakwater.servlet;

import jakarta.servlet.ServletContext;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Closes the sessions when the Jetty 12.1 server begins to stop, while its connectors are still open.
 *
 * <p>Why: {@code Server.stop()} stops the connectors, closing every connection, before it stops the
 * contexts; the application's {@code contextDestroyed} would come too late to send anything, and every
 * peer would see its connection drop (1006) instead of a Close with 1001 after the messages queued for
 * it. (Jetty's graceful phase, with {@code Server.setStopTimeout}, runs before the connectors stop too,
 * but only when a stop timeout is set; embedded Jetty has none by default.)
 *
 * <p>Loaded only when Jetty's classes are visible ({@link UpgradeMechanism.JettyMechanism#jettyVisible}).
 */
final class JettyServerStop implements LifeCycle.Listener {

    private final Runnable closeSessions;

    private JettyServerStop(Runnable closeSessions) {
        this.closeSessions = closeSessions;
    }

    /**
     * Runs {@code closeSessions} when the server of {@code context} begins to stop.
     *
     * @return what undoes it, for a context that stops while its server runs on; null where the context
     *     is no Jetty ee11 servlet context
     */
    static Runnable install(ServletContext context, Runnable closeSessions) {
        ServletContextHandler handler = ServletContextHandler.getServletContextHandler(context);
        Server server = handler == null ? null : handler.getServer();
        if (server == null) {
            return null;
        }
        JettyServerStop listener = new JettyServerStop(closeSessions);
        server.addEventListener(listener);
        return () -> server.removeEventListener(listener);
    }

    @Override
    public void lifeCycleStopping(LifeCycle event) {
        closeSessions.run();
    }
}
