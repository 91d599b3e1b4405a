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
     * container's own where Breakwater has one, Jetty's and Tomcat's, else the portable one) or
     * {@code servlet} (always {@link HttpServletRequest#upgrade} with the servlet streams).
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
            if (JettyMechanism.isJetty(context) && !JettyMechanism.jettyVisible(context)) {
                JettyMechanism.warnOfThePortablePath(context);
                return new ServletUpgrade();
            }
            UpgradeMechanism jetty = JettyMechanism.ifRunningOnJetty(context);
            if (jetty != null) {
                return new Fallback(jetty, new ServletUpgrade());
            }
            UpgradeMechanism tomcat = TomcatMechanism.ifRunningOnTomcat(context);
            return tomcat != null ? tomcat : new ServletUpgrade();
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
     * Breakwater (an embedded Jetty, or Breakwater installed as a Jetty module); inside a web application
     * that Jetty isolates from its own classes, the portable mechanism is used, with a warning.
     */
    final class JettyMechanism {
        private static final Logger LOG = Logger.getLogger(UpgradeMechanism.class.getName());

        private JettyMechanism() {
        }

        /** Whether the container says it is Jetty ({@link ServletContext#getServerInfo}: "jetty/12.1.12"). */
        static boolean isJetty(ServletContext context) {
            String serverInfo = context.getServerInfo();
            return serverInfo != null && serverInfo.toLowerCase(java.util.Locale.ROOT).startsWith("jetty");
        }

        /** Whether the container is Jetty and Jetty's ee11 server classes are visible to Breakwater. */
        static boolean jettyVisible(ServletContext context) {
            if (!isJetty(context)) {
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

        /**
         * Says once, as the application starts, that it runs on Jetty without Jetty's upgrade, which loses
         * browsers' connections, and how to fix it. A stock Jetty hides its server classes
         * ({@code org.eclipse.jetty.}) from web applications, so a Breakwater inside the WAR sees none of them;
         * Breakwater installed as a Jetty module (breakwater.mod, in the ee11 environment, {@code io.breakwater.}
         * protected) is loaded beside them. Without that warning the only sign is a browser that got its 101 and
         * then hangs, with nothing in any log.
         */
        static void warnOfThePortablePath(ServletContext context) {
            LOG.warning(() -> "Breakwater in the web application '" + context.getContextPath() + "' cannot see"
                    + " Jetty's server classes (Jetty hides org.eclipse.jetty. from web applications), so it upgrades"
                    + " through HttpServletRequest.upgrade, on which " + context.getServerInfo() + " loses browsers'"
                    + " WebSocket connections: a handshake without Content-Length, as browsers send it, ends the"
                    + " upgraded input at once, and the first frame after the 101 is taken for an HTTP request (400)."
                    + " Fix: install Breakwater as a Jetty module; in $JETTY_BASE, unzip breakwater-jetty-module.zip"
                    + " and run java -jar $JETTY_HOME/start.jar --add-modules=breakwater (Breakwater's README,"
                    + " \"Stock Tomcat 11 and stock Jetty 12.1\"). The context parameter " + PARAMETER
                    + "=servlet chooses this path deliberately and silences this warning.");
        }

        static UpgradeMechanism ifRunningOnJetty(ServletContext context) {
            return jettyVisible(context) ? load("JettyUpgrade", "Jetty") : null;
        }
    }

    /**
     * Loads {@link TomcatUpgrade} only when the container is Tomcat (embedded or stock: a web application
     * always sees Tomcat's classes, which Tomcat loads for it from its own lib/).
     */
    final class TomcatMechanism {
        private TomcatMechanism() {
        }

        static UpgradeMechanism ifRunningOnTomcat(ServletContext context) {
            String serverInfo = context.getServerInfo();
            if (serverInfo == null || !serverInfo.startsWith("Apache Tomcat/")) {
                return null;
            }
            try {
                Class.forName("org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler", false,
                        UpgradeMechanism.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError absent) {
                return null;
            }
            return load("TomcatUpgrade", "Tomcat");
        }
    }

    /** The mechanism class {@code simpleName} of this package, or null (with a warning) if it cannot load. */
    private static UpgradeMechanism load(String simpleName, String container) {
        try {
            return (UpgradeMechanism) Class.forName(UpgradeMechanism.class.getPackageName() + "." + simpleName,
                    true, UpgradeMechanism.class.getClassLoader()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            Logger.getLogger(UpgradeMechanism.class.getName()).log(Level.WARNING, container + "'s classes are visible"
                    + " but Breakwater's " + container + " upgrade could not load; using HttpServletRequest.upgrade", e);
            return null;
        }
    }
}
