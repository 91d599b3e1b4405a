package io.breakwater.conformance;

import io.breakwater.servlet.BreakwaterServletContainerInitializer;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Breakwater as a user deploys it: echo endpoints on its client, and in Jetty 12.1 and Tomcat 11
 * through the servlet integration.
 */
final class BreakwaterPeers {
    /** Group 9 sends messages of 16 MiB; an echo peer needs limits above that. */
    static final int MESSAGE_LIMIT = 32 << 20;

    private BreakwaterPeers() {
    }

    /** The server under test: echoes every text and binary message. */
    @ServerEndpoint("/echo")
    public static class EchoServerEndpoint {
        @OnMessage(maxMessageSize = MESSAGE_LIMIT)
        public String text(String message) {
            return message;
        }

        @OnMessage(maxMessageSize = MESSAGE_LIMIT)
        public ByteBuffer binary(ByteBuffer message) {
            return message;
        }

        /** The fuzzer breaks the protocol on purpose; the close code it gets is what is judged. */
        @OnError
        public void error(Throwable error) {
        }
    }

    /** The client under test: echoes every text and binary message, as Autobahn's testee clients do. */
    static final class EchoClient extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxTextMessageBufferSize(MESSAGE_LIMIT);
            session.setMaxBinaryMessageBufferSize(MESSAGE_LIMIT);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                try {
                    session.getBasicRemote().sendText(text);
                } catch (IOException | IllegalStateException e) {
                    // The fuzzer may have closed already (case 7.1.6): nothing to echo to.
                }
            });
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) data -> {
                try {
                    session.getBasicRemote().sendBinary(data);
                } catch (IOException | IllegalStateException e) {
                    // As above.
                }
            });
        }
    }

    /** Connects Breakwater's client to {@code uri}, offering permessage-deflate; failures are the server's to judge. */
    static void connectEchoClient(URI uri) {
        WebSocketContainer container = ContainerProvider.getWebSocketContainer();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .extensions(new ArrayList<>(container.getInstalledExtensions()))
                .build();
        try {
            container.connectToServer(new EchoClient(), config, uri);
        } catch (Exception e) {
            // A refused or failed handshake shows in the fuzzing server's result for the case.
        }
    }

    /** Jetty 12.1 ee11 on a free loopback port with the echo endpoint at /app/echo. */
    static Server startJetty() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), EchoServerEndpoint.class);
        server.setHandler(context);
        server.start();
        return server;
    }

    /** Tomcat 11 on a free loopback port with the echo endpoint at /app/echo. */
    static Tomcat startTomcat(Path baseDir) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("/app", Files.createDirectories(baseDir.resolve("app")).toString());
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(),
                Set.of(EchoServerEndpoint.class));
        // Tomcat runs filters only for requests mapped to a servlet.
        Tomcat.addServlet(context, "default", new HttpServlet() {
            private static final long serialVersionUID = 1L;
        });
        context.addServletMappingDecoded("/", "default", false);
        tomcat.start();
        return tomcat;
    }

    static URI echoUri(Tomcat tomcat) {
        return URI.create("ws://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/app/echo");
    }

    static URI echoUri(Server server) {
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        return URI.create("ws://127.0.0.1:" + port + "/app/echo");
    }
}
