package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Threads are the user's choice: {@code io.breakwater.server.callbackExecutor=virtual}. */
class VirtualCallbacksTest {

    private Server server;

    @ServerEndpoint("/virtual")
    public static class VirtualityEndpoint {
        @OnMessage
        public String message(String text) throws Exception {
            Thread current = Thread.currentThread();
            return (boolean) Thread.class.getMethod("isVirtual").invoke(current) + " " + current.getName();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void withVirtualCallbacksEveryMessageIsHandledOnAVirtualThreadOrDeploymentSaysWhyNot() throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        context.setInitParameter(BreakwaterServletContainerInitializer.CALLBACK_EXECUTOR_PARAMETER, "virtual");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), VirtualityEndpoint.class);
        QueuedThreadPool jettyThreads = new QueuedThreadPool();
        jettyThreads.setName("jetty-http");
        server = EmbeddedJetty.server(jettyThreads);
        if (Runtime.version().feature() < 21) {
            // JDK 17: no virtual threads. The application does not start, and the cause names the JDK.
            String messages = messageChain(assertThrows(Exception.class, () -> EmbeddedJetty.start(server, context)));
            assertTrue(messages.contains("JDK 21"), "the deployment fails with a clear reason, not: " + messages);
            return;
        }
        int port = EmbeddedJetty.start(server, context);
        JdkTextListener client = new JdkTextListener();
        WebSocket ws = JdkTextListener.connect(URI.create("ws://127.0.0.1:" + port + "/app/virtual"), client);
        for (int i = 0; i < 5; i++) {
            ws.sendText("which thread?", true).get(10, TimeUnit.SECONDS);
            String thread = client.messages.poll(10, TimeUnit.SECONDS);
            assertTrue(thread != null && thread.startsWith("true "), "not a virtual thread: " + thread);
        }
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void anUnknownExecutorNameFailsTheDeployment() throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        context.setInitParameter(BreakwaterServletContainerInitializer.CALLBACK_EXECUTOR_PARAMETER, "fibers");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), VirtualityEndpoint.class);
        server = EmbeddedJetty.server(new QueuedThreadPool());
        String messages = messageChain(assertThrows(Exception.class, () -> EmbeddedJetty.start(server, context)));
        assertTrue(messages.contains("'pool' or 'virtual'"), "the deployment names the values it takes, not: " + messages);
    }

    private static String messageChain(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause).append(" | ");
        }
        return messages.toString();
    }
}
