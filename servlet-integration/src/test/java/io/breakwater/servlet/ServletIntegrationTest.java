package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Breakwater deployed into embedded Jetty 12.1 (ee11) as a plain servlet container. */
class ServletIntegrationTest {

    @ServerEndpoint("/echo/{name}")
    public static class EchoEndpoint {
        @OnMessage
        public String echo(String message, @PathParam("name") String name) {
            return name + ":" + message + ":" + (Thread.currentThread().getContextClassLoader() != null);
        }
    }

    /** Added from a listener through the context attribute. */
    public static class ShoutEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, message -> {
                try {
                    session.getBasicRemote().sendText(message.toUpperCase());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    public static class AddShout implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent event) {
            ServerContainer container = (ServerContainer) event.getServletContext()
                    .getAttribute("jakarta.websocket.server.ServerContainer");
            try {
                container.addEndpoint(ServerEndpointConfig.Builder.create(ShoutEndpoint.class, "/shout").build());
            } catch (DeploymentException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static class HelloServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("hello " + req.getServletPath());
        }
    }

    private Server server;
    private ServletContextHandler context;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        context = new ServletContextHandler("/app");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), EchoEndpoint.class,
                ShoutEndpoint.class);
        context.addEventListener(new AddShout());
        context.addServlet(new ServletHolder(new HelloServlet()), "/hello");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port + "/app" + path);
    }

    @Test
    void annotatedEchoWithPathParameterOverJdkClient() throws Exception {
        JdkTextListener listener = new JdkTextListener();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri("/echo/bob"), listener).get(10, TimeUnit.SECONDS);
        ws.sendText("hi", true).get(10, TimeUnit.SECONDS);
        assertEquals("bob:hi:true", listener.messages.poll(10, TimeUnit.SECONDS));
        ws.sendClose(1000, "bye").get(10, TimeUnit.SECONDS);
        assertEquals(1000, listener.closed.get(10, TimeUnit.SECONDS));
    }

    @Test
    
    void programmaticEndpointOverBreakwaterClient() throws Exception {
        WebSocketContainer client = ContainerProvider.getWebSocketContainer();
        CollectingClient side = new CollectingClient();
        try (Session session = client.connectToServer(side, uri("/shout"))) {
            session.getBasicRemote().sendText("loud");
            assertEquals("LOUD", side.messages.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void handshakeRejections() throws Exception {
        String missingKey = raw("GET /app/echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertTrue(missingKey.startsWith("HTTP/1.1 400"), missingKey);
        String version12 = raw("GET /app/echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 12\r\n\r\n");
        assertTrue(version12.startsWith("HTTP/1.1 426"), version12);
        assertTrue(version12.toLowerCase().contains("sec-websocket-version: 13"), version12);
    }

    /**
     * A handshake as browsers send it, without Content-Length, and a frame right after the 101: on
     * Jetty 12.1 the portable HttpServletRequest.upgrade loses this connection (see JettyUpgrade).
     */
    @Test
    void frameRightAfterA101ToAHandshakeWithoutContentLength() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(RawHttp.handshake("/app/echo/raw").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = RawHttp.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            byte[] mask = {1, 2, 3, 4};
            byte[] text = "hi".getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[6 + text.length];
            frame[0] = (byte) 0x81; // FIN + text
            frame[1] = (byte) (0x80 | text.length);
            System.arraycopy(mask, 0, frame, 2, 4);
            for (int i = 0; i < text.length; i++) {
                frame[6 + i] = (byte) (text[i] ^ mask[i % 4]);
            }
            out.write(frame);
            out.flush();
            byte[] expected = "raw:hi:true".getBytes(StandardCharsets.UTF_8);
            assertEquals(0x81, in.read(), "an unfragmented text frame");
            assertEquals(expected.length, in.read(), "unmasked, with the echo's length");
            assertEquals("raw:hi:true", new String(in.readNBytes(expected.length), StandardCharsets.UTF_8));
        }
    }

    private String raw(String request) throws IOException {
        return RawHttp.exchange(port, request);
    }

    @Test
    void plainHttpPassesThrough() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/app/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("hello /hello", response.body());
    }

    @Test
    
    void stoppingTheApplicationClosesSessionsWith1001() throws Exception {
        WebSocketContainer client = ContainerProvider.getWebSocketContainer();
        CollectingClient side = new CollectingClient();
        Session session = client.connectToServer(side, uri("/echo/a"));
        session.getBasicRemote().sendText("x");
        assertNotNull(side.messages.poll(10, TimeUnit.SECONDS));
        context.stop();
        CloseReason reason = side.closed.get(10, TimeUnit.SECONDS);
        assertEquals(1001, reason.getCloseCode().getCode());
    }

    @Test
    void hundredConcurrentConnectionsEcho() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        List<JdkTextListener> listeners = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            JdkTextListener listener = new JdkTextListener();
            listeners.add(listener);
            opening.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
                    .buildAsync(uri("/echo/c" + i), listener));
        }
        List<WebSocket> sockets = new ArrayList<>();
        for (CompletableFuture<WebSocket> future : opening) {
            sockets.add(future.get(30, TimeUnit.SECONDS));
        }
        for (int i = 0; i < 100; i++) {
            for (int m = 0; m < 10; m++) {
                sockets.get(i).sendText("m" + m, true).get(10, TimeUnit.SECONDS);
            }
        }
        for (int i = 0; i < 100; i++) {
            for (int m = 0; m < 10; m++) {
                assertEquals("c" + i + ":m" + m + ":true", listeners.get(i).messages.poll(20, TimeUnit.SECONDS));
            }
        }
        for (WebSocket socket : sockets) {
            socket.sendClose(1000, "").get(10, TimeUnit.SECONDS);
        }
    }
}
