package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handshake decisions and the servlet-side facilities an endpoint sees, on embedded Jetty 12.1
 * (ee11) as a plain servlet container, with Breakwater's client.
 */
class ServletEndpointFeaturesTest {

    /** Accepts pages of one origin only. */
    public static class OneOrigin extends ServerEndpointConfig.Configurator {
        @Override
        public boolean checkOrigin(String originHeaderValue) {
            return "http://good.example".equals(originHeaderValue);
        }
    }

    @ServerEndpoint(value = "/guarded", configurator = OneOrigin.class)
    public static class GuardedEndpoint {
        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

    @ServerEndpoint(value = "/protocols", subprotocols = {"v2.chat", "v1.chat"})
    public static class ProtocolEndpoint {
        @OnOpen
        public void open(Session session) throws IOException {
            session.getBasicRemote().sendText("protocol=" + session.getNegotiatedSubprotocol());
        }
    }

    /** Copies the HTTP session's user into the WebSocket session's user properties. */
    public static class HttpSessionUser extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            HttpSession httpSession = (HttpSession) request.getHttpSession();
            config.getUserProperties().put("user", httpSession == null ? "nobody" : httpSession.getAttribute("user"));
        }
    }

    @ServerEndpoint(value = "/whoami", configurator = HttpSessionUser.class)
    public static class WhoAmIEndpoint {
        @OnOpen
        public void open(Session session, EndpointConfig config) throws IOException {
            session.getBasicRemote().sendText("user=" + config.getUserProperties().get("user"));
        }
    }

    /** Shows the configurator's request parameters in a response header, and the session's in a message. */
    public static class ParametersInHeader extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            response.getHeaders().put("X-Parameters", List.of(new TreeMap<>(request.getParameterMap()).toString()));
        }
    }

    @ServerEndpoint(value = "/rooms/{room}", configurator = ParametersInHeader.class)
    public static class RoomEndpoint {
        @OnOpen
        public void open(Session session) throws IOException {
            session.getBasicRemote().sendText(new TreeMap<>(session.getRequestParameterMap()).toString());
        }
    }

    /** Records the thread context class loader its callbacks run with. */
    @ServerEndpoint("/loader/{n}")
    public static class LoaderEndpoint {
        static final BlockingQueue<ClassLoader> SEEN = new LinkedBlockingQueue<>();

        @OnMessage
        public String message(String text, @PathParam("n") int n) {
            SEEN.add(Thread.currentThread().getContextClassLoader());
            return text + n;
        }
    }

    /** Logs the visitor in: creates the HTTP session the WebSocket handshake then carries in its cookie. */
    public static class LoginServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            request.getSession(true).setAttribute("user", request.getParameter("name"));
        }
    }

    /** Not deployed by the scan: the servlet below upgrades to it with upgradeHttpToWebSocket. */
    public static class ManualEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, message -> session.getAsyncRemote()
                    .sendText(session.getPathParameters().get("id") + " got " + message));
        }
    }

    public static class ManualUpgradeServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            ServerContainer container = (ServerContainer) getServletContext()
                    .getAttribute(BreakwaterServletContainerInitializer.CONTAINER_ATTRIBUTE);
            String id = request.getPathInfo().substring(1);
            try {
                container.upgradeHttpToWebSocket(request, response,
                        ServerEndpointConfig.Builder.create(ManualEndpoint.class, "/manual/{id}").build(),
                        Map.of("id", id));
            } catch (DeploymentException e) {
                throw new IOException(e);
            }
        }
    }

    private Server server;
    private ServletContextHandler context;
    private ClassLoader applicationLoader;
    private int port;
    private final WebSocketContainer client = ContainerProvider.getWebSocketContainer();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        context = new ServletContextHandler("/app", ServletContextHandler.SESSIONS);
        // A class loader of its own, as a web application has, to tell it from the test's.
        applicationLoader = new URLClassLoader(new URL[0], getClass().getClassLoader());
        context.setClassLoader(applicationLoader);
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), GuardedEndpoint.class,
                ProtocolEndpoint.class, WhoAmIEndpoint.class, LoaderEndpoint.class, RoomEndpoint.class);
        context.addServlet(new ServletHolder(new LoginServlet()), "/login");
        context.addServlet(new ServletHolder(new ManualUpgradeServlet()), "/manual/*");
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

    private static ClientEndpointConfig withHeader(String name, String value) {
        return ClientEndpointConfig.Builder.create().configurator(new ClientEndpointConfig.Configurator() {
            @Override
            public void beforeRequest(Map<String, List<String>> headers) {
                headers.put(name, List.of(value));
            }
        }).build();
    }

    private static ClientEndpointConfig plain() {
        return ClientEndpointConfig.Builder.create().build();
    }

    /** A programmatic client endpoint that hands its messages to {@code into}. */
    private static Endpoint collecting(BlockingQueue<String> into) {
        return new Endpoint() {
            @Override
            public void onOpen(Session session, EndpointConfig config) {
                session.addMessageHandler(String.class, into::add);
            }
        };
    }

    @Test
    void originRefusedByTheConfiguratorIs403() throws Exception {
        String refused = RawHttp.exchange(port, RawHttp.handshake("/app/guarded", "Origin: http://evil.example"));
        assertTrue(refused.startsWith("HTTP/1.1 403"), refused);
        String accepted = RawHttp.exchange(port, RawHttp.handshake("/app/guarded", "Origin: http://good.example"));
        assertTrue(accepted.startsWith("HTTP/1.1 101"), accepted);

        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (Session session = client.connectToServer(collecting(messages),
                withHeader("Origin", "http://good.example"), uri("/guarded"))) {
            session.getBasicRemote().sendText("from a good page");
            assertEquals("from a good page", messages.poll(10, TimeUnit.SECONDS));
        }
        DeploymentException refusedConnect = assertThrows(DeploymentException.class, () -> client.connectToServer(
                collecting(messages), withHeader("Origin", "http://evil.example"), uri("/guarded")));
        assertTrue(refusedConnect.getMessage().contains("403"), refusedConnect.getMessage());
    }

    @Test
    void handshakeErrorsHaveTheirStatus() throws Exception {
        String post = RawHttp.exchange(port, RawHttp.handshake("/app/guarded").replace("GET ", "POST "));
        assertTrue(post.startsWith("HTTP/1.1 4"), "a POST is no WebSocket handshake: " + post);
        String noUpgradeToken = RawHttp.exchange(port, RawHttp.handshake("/app/protocols")
                .replace("Connection: Upgrade", "Connection: keep-alive"));
        assertTrue(noUpgradeToken.startsWith("HTTP/1.1 400"), noUpgradeToken);
        String badKey = RawHttp.exchange(port, RawHttp.handshake("/app/protocols")
                .replace("dGhlIHNhbXBsZSBub25jZQ==", "short"));
        assertTrue(badKey.startsWith("HTTP/1.1 400"), badKey);
    }

    @Test
    void subprotocolIsTheClientsFirstChoiceThatTheServerSupports() throws Exception {
        CollectingClient collector = new CollectingClient();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .preferredSubprotocols(List.of("v3.chat", "v1.chat", "v2.chat")).build();
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (Session session = client.connectToServer(collecting(messages), config, uri("/protocols"))) {
            // ServerEndpointConfig.Configurator#getNegotiatedSubprotocol: by default the first protocol in
            // the client's list that the server supports.
            assertEquals("protocol=v1.chat", messages.poll(10, TimeUnit.SECONDS));
            assertEquals("v1.chat", session.getNegotiatedSubprotocol());
        }
        try (Session session = client.connectToServer(collector, uri("/protocols"))) {
            assertEquals("protocol=", collector.messages.poll(10, TimeUnit.SECONDS));
            assertEquals("", session.getNegotiatedSubprotocol());
        }
    }

    @Test
    void theHandshakeSeesTheHttpSessionOfItsCookie() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<Void> login = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/app/login?name=alice")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];

        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (Session ignored = client.connectToServer(collecting(messages), withHeader("Cookie", cookie),
                uri("/whoami"))) {
            assertEquals("user=alice", messages.poll(10, TimeUnit.SECONDS));
        }
        try (Session ignored = client.connectToServer(collecting(messages), plain(), uri("/whoami"))) {
            assertEquals("user=nobody", messages.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void callbacksRunWithTheApplicationsClassLoader() throws Exception {
        LoaderEndpoint.SEEN.clear();
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (Session session = client.connectToServer(collecting(messages), plain(), uri("/loader/7"))) {
            session.getBasicRemote().sendText("n=");
            assertEquals("n=7", messages.poll(10, TimeUnit.SECONDS));
        }
        assertSame(applicationLoader, LoaderEndpoint.SEEN.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void requestParametersHoldThePathVariablesAndTheQuery() throws Exception {
        // As the TCK's handshakerequest tests read them: the path's variables are request parameters too.
        String raw = RawHttp.exchange(port, RawHttp.handshake("/app/rooms/lobby?tag=a&tag=b%20c"));
        assertTrue(raw.startsWith("HTTP/1.1 101"), raw);
        assertTrue(raw.contains("X-Parameters: {room=[lobby], tag=[a, b c]}"), raw);
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (Session session = client.connectToServer(collecting(messages), plain(), uri("/rooms/lobby?tag=a&tag=b%20c"))) {
            assertEquals("{room=[lobby], tag=[a, b c]}", messages.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void upgradeHttpToWebSocketFromAServlet() throws Exception {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (Session session = client.connectToServer(collecting(messages), plain(), uri("/manual/42"))) {
            session.getBasicRemote().sendText("hello");
            assertEquals("42 got hello", messages.poll(10, TimeUnit.SECONDS));
        }
        String raw = RawHttp.exchange(port, RawHttp.handshake("/app/manual/7", "Sec-WebSocket-Version: 8")
                .replace("Sec-WebSocket-Version: 13\r\n", ""));
        assertTrue(raw.startsWith("HTTP/1.1 426"), "the same validation as the filter's: " + raw);
    }

    @Test
    void aThousandConcurrentConnectionsEchoWithNoneLost() throws Exception {
        int connections = 1_000;
        int messagesEach = 5;
        List<Session> sessions = new ArrayList<>();
        List<BlockingQueue<String>> received = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                BlockingQueue<String> queue = new LinkedBlockingQueue<>();
                received.add(queue);
                sessions.add(client.connectToServer(collecting(queue), plain(), uri("/loader/" + i)));
            }
            for (int m = 0; m < messagesEach; m++) {
                for (Session session : sessions) {
                    session.getAsyncRemote().sendText("m" + m + "-");
                }
            }
            for (int i = 0; i < connections; i++) {
                for (int m = 0; m < messagesEach; m++) {
                    String echo = received.get(i).poll(30, TimeUnit.SECONDS);
                    assertNotNull(echo, "connection " + i + " lost message " + m);
                    assertEquals("m" + m + "-" + i, echo, "connection " + i + " in order");
                }
            }
        } finally {
            for (Session session : sessions) {
                session.close();
            }
        }
    }
}
