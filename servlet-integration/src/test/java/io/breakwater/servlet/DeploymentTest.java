package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What deploying an application does on embedded Jetty 12.1: failures, and the choice of upgrade mechanism. */
class DeploymentTest {

    /** Two text parameters in one @OnMessage method: the specification allows one message parameter. */
    @ServerEndpoint("/broken")
    public static class BrokenEndpoint {
        @OnMessage
        public void twoMessages(String first, String second) {
        }
    }

    @ServerEndpoint("/echo")
    public static class EchoEndpoint {
        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

    private Server server;

    private int start(ServletContextHandler context) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void anInvalidEndpointFailsTheDeploymentNamingClassMethodAndRule() {
        ServletContextHandler context = new ServletContextHandler("/app");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), BrokenEndpoint.class);
        Exception failure = assertThrows(Exception.class, () -> start(context));
        String messages = messageChain(failure);
        assertTrue(messages.contains(BrokenEndpoint.class.getName()), messages);
        assertTrue(messages.contains("twoMessages"), messages);
        assertTrue(messages.contains("DeploymentException") || messages.contains("Deploying the WebSocket endpoints failed"),
                messages);
    }

    @Test
    void aDeploymentErrorInAListenerTakesTheApplicationsEndpointsOutOfService() throws Exception {
        // WSC-5.2.1-3: the error halts deployment; endpoints deployed before it are removed from service.
        ServletContextHandler context = new ServletContextHandler("/app");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), EchoEndpoint.class);
        BlockingQueue<String> listenerSaw = new LinkedBlockingQueue<>();
        context.addEventListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                ServerContainer container = (ServerContainer) event.getServletContext()
                        .getAttribute(ServerContainer.class.getName());
                try {
                    container.addEndpoint(BrokenEndpoint.class);
                    listenerSaw.add("deployed");
                } catch (DeploymentException expected) {
                    listenerSaw.add(expected.getMessage());
                }
                try {
                    container.addEndpoint(ServerEndpointConfig.Builder.create(EchoEndpoint.class, "/later").build());
                    listenerSaw.add("deployed later");
                } catch (DeploymentException expected) {
                    listenerSaw.add(expected.getMessage());
                }
            }
        });
        int port = start(context);

        String first = listenerSaw.poll(10, TimeUnit.SECONDS);
        assertTrue(first != null && first.contains(BrokenEndpoint.class.getName()), first);
        String later = listenerSaw.poll(10, TimeUnit.SECONDS);
        assertTrue(later != null && later.contains("halted"), later);
        for (String path : List.of("/app/echo", "/app/later")) {
            String response = RawHttp.exchange(port, RawHttp.handshake(path));
            assertTrue(response.startsWith("HTTP/1.1 404"), path + ": " + response);
        }
    }

    @Test
    void thePortableUpgradeCanBeChosen() throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        context.setInitParameter("io.breakwater.servlet.upgrade", "servlet");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), EchoEndpoint.class);
        int port = start(context);
        // The JDK's client sends Content-Length: 0, which Jetty's HttpServletRequest.upgrade needs.
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + port + "/app/echo"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        messages.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("portable", true).get(10, TimeUnit.SECONDS);
        assertEquals("portable", messages.poll(10, TimeUnit.SECONDS));
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void anUnknownUpgradeChoiceFailsTheDeployment() {
        ServletContextHandler context = new ServletContextHandler("/app");
        context.setInitParameter("io.breakwater.servlet.upgrade", "fast");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), EchoEndpoint.class);
        String messages = messageChain(assertThrows(Exception.class, () -> start(context)));
        assertTrue(messages.contains("io.breakwater.servlet.upgrade") && messages.contains("fast"), messages);
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
