package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;
import org.apache.tomcat.util.buf.ByteChunk;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Breakwater refuses to start where another implementation already published its server container, and says
 * how to switch that one off, instead of the other's failure later on (Tomcat: a ClassCastException in its
 * WsFilter and a 404). The real case, Tomcat's WsSci in a stock Tomcat, is StockTomcatIT's (distribution-tests);
 * here the attribute is set before the application starts, as that initializer would have set it.
 */
class AnotherProviderTest {

    @ServerEndpoint("/echo")
    public static class EchoEndpoint {
        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

    private Server server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void tomcatsServerContainerInTheContextStopsTheStartNamingTheSciFilter() {
        ServletContextHandler context = new ServletContextHandler("/app");
        // Any of Tomcat's classes: the refusal tells Tomcat's fix by the package of what it found.
        context.setAttribute(BreakwaterServletContainerInitializer.CONTAINER_ATTRIBUTE, new ByteChunk());
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), EchoEndpoint.class);
        String messages = messageChain(assertThrows(Exception.class, () -> start(context)));
        assertTrue(messages.contains("Breakwater cannot start in the web application '/app'"), messages);
        assertTrue(messages.contains("another Jakarta WebSocket implementation is active"), messages);
        assertTrue(messages.contains(ByteChunk.class.getName()), messages);
        assertTrue(messages.contains("containerSciFilter=\"org\\.apache\\.tomcat\\.websocket\\.server\\.WsSci\""),
                messages);
    }

    private int start(ServletContextHandler context) throws Exception {
        server = EmbeddedJetty.server(new QueuedThreadPool());
        return EmbeddedJetty.start(server, context);
    }

    private static String messageChain(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
            for (Throwable suppressed : t.getSuppressed()) {
                messages.append(messageChain(suppressed));
            }
        }
        return messages.toString();
    }
}
