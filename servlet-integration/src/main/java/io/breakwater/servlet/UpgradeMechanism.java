package io.breakwater.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How an accepted handshake becomes a WebSocket connection in the servlet container at hand. The
 * portable way is {@link HttpServletRequest#upgrade}; a container whose implementation of it cannot
 * carry a WebSocket connection gets a mechanism of its own.
 */
interface UpgradeMechanism {

    /**
     * The servlet context init parameter that chooses the mechanism: {@code auto} (the default: the
     * container's own where Breakwater has one, else the portable one) or {@code servlet} (always
     * {@link HttpServletRequest#upgrade}).
     */
    String PARAMETER = "io.breakwater.servlet.upgrade";

    /**
     * Takes over the connection of {@code request}, whose response already has the 101 status and the
     * handshake's headers, and opens the session once the container hands the connection over.
     *
     * @return false when this mechanism cannot upgrade this request (the caller uses the portable one)
     */
    boolean upgrade(HttpServletRequest request, HttpServletResponse response, SessionOpening opening)
            throws IOException, ServletException;

    /** The mechanism for the web application of {@code context}. */
    static UpgradeMechanism forContext(ServletContext context) {
        String choice = context.getInitParameter(PARAMETER);
        if (choice == null || choice.isBlank() || choice.trim().equals("auto")) {
            UpgradeMechanism jetty = JettyMechanism.ifRunningOnJetty(context);
            return jetty != null ? new Fallback(jetty, new ServletUpgrade()) : new ServletUpgrade();
        }
        if (choice.trim().equals("servlet")) {
            return new ServletUpgrade();
        }
        throw new IllegalArgumentException("The context parameter " + PARAMETER + " is \"" + choice
                + "\"; it must be \"auto\" or \"servlet\"");
    }

    /** Tries one mechanism, then another. */
    record Fallback(UpgradeMechanism first, UpgradeMechanism second) implements UpgradeMechanism {
        @Override
        public boolean upgrade(HttpServletRequest request, HttpServletResponse response, SessionOpening opening)
                throws IOException, ServletException {
            return first.upgrade(request, response, opening) || second.upgrade(request, response, opening);
        }
    }

    /**
     * Loads {@link JettyUpgrade} only when the container is Jetty and its server classes are visible to
     * Breakwater (an embedded Jetty, or Breakwater on the server's class path); inside a web application
     * that Jetty isolates from its own classes, the portable mechanism is used.
     */
    final class JettyMechanism {
        private static final Logger LOG = Logger.getLogger(UpgradeMechanism.class.getName());

        private JettyMechanism() {
        }

        /** Whether the container is Jetty and Jetty's ee11 server classes are visible to Breakwater. */
        static boolean jettyVisible(ServletContext context) {
            String serverInfo = context.getServerInfo();
            if (serverInfo == null || !serverInfo.toLowerCase(java.util.Locale.ROOT).startsWith("jetty")) {
                return false;
            }
            ClassLoader loader = UpgradeMechanism.class.getClassLoader();
            try {
                Class.forName("org.eclipse.jetty.ee11.servlet.ServletContextRequest", false, loader);
                Class.forName("org.eclipse.jetty.server.HttpStream", false, loader);
                return true;
            } catch (ClassNotFoundException | LinkageError absent) {
                return false;
            }
        }

        static UpgradeMechanism ifRunningOnJetty(ServletContext context) {
            if (!jettyVisible(context)) {
                return null;
            }
            ClassLoader loader = UpgradeMechanism.class.getClassLoader();
            try {
                return (UpgradeMechanism) Class.forName(UpgradeMechanism.class.getPackageName() + ".JettyUpgrade",
                        true, loader).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.log(Level.WARNING, "Jetty's classes are visible but Breakwater's Jetty upgrade could not load;"
                        + " using HttpServletRequest.upgrade", e);
                return null;
            }
        }
    }
}
