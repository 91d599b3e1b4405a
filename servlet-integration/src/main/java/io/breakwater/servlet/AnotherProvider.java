package io.breakwater.servlet;

import jakarta.servlet.ServletContext;

/**
 * The refusal to start beside another Jakarta WebSocket implementation in the same web application.
 *
 * <p>A servlet container that brings its own implementation runs its initializer in every application, and
 * Tomcat runs it before those of the application's jars ({@code WebappServiceLoader} loads the container's
 * initializers first). That initializer publishes its {@code ServerContainer} under
 * {@code jakarta.websocket.server.ServerContainer} and installs a filter of its own, which reads the attribute
 * back: on Tomcat, {@code WsFilter.init} casts it to {@code WsServerContainer} and fails with a
 * {@code ClassCastException} once Breakwater has replaced it, so the application does not start and every
 * request gets 404. Two implementations would also both answer the same handshakes. Breakwater therefore
 * stops at once, and says how to switch the other one off for this application alone.
 */
final class AnotherProvider {

    private AnotherProvider() {
    }

    /** The start-up error for {@code found}, the server container another implementation published. */
    static String refusal(ServletContext context, Object found) {
        String type = found.getClass().getName();
        StringBuilder message = new StringBuilder("Breakwater cannot start in the web application '")
                .append(context.getContextPath()).append("': another Jakarta WebSocket implementation is active in it")
                .append(" (the context attribute ").append(BreakwaterServletContainerInitializer.CONTAINER_ATTRIBUTE)
                .append(" already holds a ").append(type).append("). ");
        if (type.startsWith("org.apache.tomcat.")) {
            message.append("Tomcat's own implementation (WsSci, from lib/tomcat-websocket.jar) runs in every"
                    + " application unless filtered out. Fix, for this application only: put META-INF/context.xml"
                    + " in the WAR with <Context containerSciFilter="
                    + "\"org\\.apache\\.tomcat\\.websocket\\.server\\.WsSci\"/> (Tomcat's lib/ stays as it"
                    + " is, and the other applications keep Tomcat's WebSocket).");
        } else if (type.startsWith("org.eclipse.jetty.")) {
            message.append("On Jetty, do not enable the module ee11-websocket-jakarta for this base; install"
                    + " Breakwater's Jetty module instead (java -jar $JETTY_HOME/start.jar --add-modules=breakwater,"
                    + " see Breakwater's README, \"Stock Tomcat 11 and stock Jetty 12.1\").");
        } else {
            message.append("Switch the container's own WebSocket support off for this application, or remove"
                    + " Breakwater from it.");
        }
        return message.toString();
    }
}
