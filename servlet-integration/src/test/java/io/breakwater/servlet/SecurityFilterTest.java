package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Principal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The upgrade and the application's security: an authentication filter the application declares on
 * {@code /*} guards the WebSocket handshakes as it guards every other request, and the user it
 * authenticates is the one the configurator and the session see (on embedded Jetty 12.1 with Jetty's
 * own upgrade, and on embedded Tomcat 11 with Tomcat's own upgrade and, in the execution
 * {@code tomcat-servlet-streams}, with {@code HttpServletRequest.upgrade}); a refused handshake's
 * body tells nothing of the request or the server; the origin allow-list of the context parameter
 * {@value BreakwaterServletContainerInitializer#ALLOWED_ORIGINS_PARAMETER}.
 */
class SecurityFilterTest {

    private static final String TOKEN = "t0ken-of-alice";
    private static final String AUTHORIZATION = "Authorization: Bearer " + TOKEN;

    /**
     * An application's authentication: 401 unless the request carries the bearer token, else the request
     * goes on wrapped as alice's, in the role {@code chat-user}.
     */
    public static class BearerTokenFilter extends HttpFilter {
        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
                byte[] body = "authenticate first\n".getBytes(StandardCharsets.UTF_8);
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                response.setHeader("WWW-Authenticate", "Bearer");
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
                return;
            }
            chain.doFilter(new Authenticated(request, "alice", "chat-user"), response);
        }
    }

    /** The request of an authenticated user, as a security filter passes it on. */
    static final class Authenticated extends HttpServletRequestWrapper {
        private final Principal user;
        private final String role;

        Authenticated(HttpServletRequest request, String name, String role) {
            super(request);
            this.user = () -> name;
            this.role = role;
        }

        @Override
        public Principal getUserPrincipal() {
            return user;
        }

        @Override
        public String getRemoteUser() {
            return user.getName();
        }

        @Override
        public boolean isUserInRole(String name) {
            return role.equals(name);
        }

        @Override
        public String getAuthType() {
            return "Bearer";
        }
    }

    /** A page of the application, behind the same filter. */
    public static class HelloServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("hello " + request.getRemoteUser());
        }
    }

    /** Puts what the handshake request says of the user into the connection's user properties. */
    public static class WhatTheHandshakeSaw extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            Principal user = request.getUserPrincipal();
            config.getUserProperties().put("seen", "principal=" + (user == null ? "none" : user.getName())
                    + " chat-user=" + request.isUserInRole("chat-user") + " admin=" + request.isUserInRole("admin"));
        }
    }

    @ServerEndpoint(value = "/whoami", configurator = WhatTheHandshakeSaw.class)
    public static class WhoAmIEndpoint {
        @OnOpen
        public void open(Session session, EndpointConfig config) throws IOException {
            Principal user = session.getUserPrincipal();
            session.getBasicRemote().sendText("session=" + (user == null ? "none" : user.getName())
                    + " configurator: " + config.getUserProperties().get("seen"));
        }

        @OnMessage
        public String reply(String message, Session session) {
            return message + " from " + session.getUserPrincipal().getName();
        }
    }

    /** A configurator with a bug whose message holds what no client should read. */
    public static class FailingConfigurator extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            throw new IllegalStateException("secret-detail-42");
        }
    }

    @ServerEndpoint(value = "/failing", configurator = FailingConfigurator.class)
    public static class FailingEndpoint {
        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

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

    @ServerEndpoint("/echo")
    public static class EchoEndpoint {
        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

    /** The two containers the filter is declared on, each the way its deployment descriptor would. */
    enum Container {
        JETTY, TOMCAT;

        int port() {
            return this == JETTY ? jettyPort : tomcat.port();
        }
    }

    @TempDir
    static Path baseDir;
    private static Server jetty;
    private static int jettyPort;
    private static EmbeddedTomcat tomcat;
    private static Server allowListJetty;
    private static int allowListPort;

    @BeforeAll
    static void start() throws Exception {
        jetty = EmbeddedJetty.server(new QueuedThreadPool());
        ServletContextHandler guarded = new ServletContextHandler("/app");
        guarded.addFilter(new FilterHolder(new BearerTokenFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        guarded.addServlet(new ServletHolder(new HelloServlet()), "/hello");
        guarded.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), WhoAmIEndpoint.class,
                FailingEndpoint.class, GuardedEndpoint.class);
        jettyPort = EmbeddedJetty.start(jetty, guarded);

        tomcat = EmbeddedTomcat.start(baseDir, Map.of(), SecurityFilterTest::declareBearerTokenFilter,
                WhoAmIEndpoint.class, FailingEndpoint.class, GuardedEndpoint.class);

        allowListJetty = EmbeddedJetty.server(new QueuedThreadPool());
        ServletContextHandler listed = new ServletContextHandler("/app");
        listed.setInitParameter(BreakwaterServletContainerInitializer.ALLOWED_ORIGINS_PARAMETER,
                "https://chat.example.com, http://good.example ,http://localhost:8080");
        listed.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), EchoEndpoint.class,
                GuardedEndpoint.class);
        allowListPort = EmbeddedJetty.start(allowListJetty, listed);
    }

    /** As a web.xml's {@code <filter>} and {@code <filter-mapping>} on /*, then the page. */
    private static void declareBearerTokenFilter(Context context) {
        FilterDef filter = new FilterDef();
        filter.setFilterName("bearer-token");
        filter.setFilter(new BearerTokenFilter());
        context.addFilterDef(filter);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName("bearer-token");
        mapping.addURLPattern("/*");
        context.addFilterMap(mapping);
        Tomcat.addServlet(context, "hello", new HelloServlet());
        context.addServletMappingDecoded("/hello", "hello");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (jetty != null) {
                jetty.stop();
            }
            if (allowListJetty != null) {
                allowListJetty.stop();
            }
        } finally {
            if (tomcat != null) {
                tomcat.stop();
            }
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("ws://127.0.0.1:" + port + "/app" + path);
    }

    /** The status code of a response head; the reason phrase differs between containers (Tomcat sends none). */
    private static int status(String response) {
        assertTrue(response.startsWith("HTTP/1.1 "), response);
        return Integer.parseInt(response.substring(9, 12));
    }

    // ------------------------------------------------------------------------------- the security filter

    @ParameterizedTest
    @EnumSource(Container.class)
    void aPlainRequestWithoutTheTokenIs401(Container container) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI page = URI.create("http://127.0.0.1:" + container.port() + "/app/hello");
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(page).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode());
        HttpResponse<String> passed = http.send(HttpRequest.newBuilder(page)
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, passed.statusCode());
        assertEquals("hello alice", passed.body());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aHandshakeWithoutTheTokenIs401AndNoUpgrade(Container container) throws Exception {
        String response = RawHttp.exchange(container.port(), RawHttp.handshake("/app/whoami"));
        assertEquals(401, status(response));
        assertFalse(response.contains("Sec-WebSocket-Accept"), response);
        String wrongToken = RawHttp.exchange(container.port(),
                RawHttp.handshake("/app/whoami", "Authorization: Bearer guessed"));
        assertEquals(401, status(wrongToken));

        ExecutionException refused = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient()
                .newWebSocketBuilder().buildAsync(uri(container.port(), "/whoami"), new JdkTextListener())
                .get(10, TimeUnit.SECONDS));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class,
                refused.getCause());
        assertEquals(401, handshake.getResponse().statusCode());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aHandshakeWithTheTokenOpensAsTheUserTheFilterAuthenticated(Container container) throws Exception {
        String expected = "session=alice configurator: principal=alice chat-user=true admin=false";
        // As browsers send it, without Content-Length: on Jetty the wrapped request still reaches Jetty's own
        // upgrade (JettyUpgrade), which the portable HttpServletRequest.upgrade cannot stand in for there.
        try (RawWebSocket raw = RawWebSocket.open(container.port(), "/app/whoami", AUTHORIZATION)) {
            assertEquals(101, status(raw.responseHead));
            assertEquals(expected, raw.readMessage());
            raw.send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("a frame after the 101"));
            assertEquals("a frame after the 101 from alice", raw.readMessage());
        }

        JdkTextListener listener = new JdkTextListener();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + TOKEN)
                .buildAsync(uri(container.port(), "/whoami"), listener).get(10, TimeUnit.SECONDS);
        try {
            assertEquals(expected, listener.messages.poll(10, TimeUnit.SECONDS));
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------------------- what refusals say

    @ParameterizedTest
    @EnumSource(Container.class)
    void aConfiguratorFailureIs500WithoutItsDetail(Container container) throws Exception {
        String response = RawHttp.exchangeWhole(container.port(), RawHttp.handshake("/app/failing", AUTHORIZATION));
        assertEquals(500, status(response));
        String body = RawHttp.body(response);
        assertFalse(body.contains("secret-detail-42"), body);
        assertFalse(body.contains("IllegalStateException"), body);
        assertFalse(body.contains(FailingEndpoint.class.getSimpleName()), body);
        assertEquals("500 Internal Server Error\n", body);
    }

    @Test
    void theDetailGoesToTheLogAtDebug() throws Exception {
        // System.Logger goes to java.util.logging here, where DEBUG is FINE.
        Logger log = Logger.getLogger(BreakwaterUpgradeFilter.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level level = log.getLevel();
        log.setLevel(Level.FINE);
        log.addHandler(handler);
        try {
            RawHttp.exchangeWhole(jettyPort, RawHttp.handshake("/app/failing", AUTHORIZATION));
        } finally {
            log.removeHandler(handler);
            log.setLevel(level);
        }
        LogRecord failure = records.stream().filter(record -> record.getMessage().contains("secret-detail-42"))
                .findFirst().orElseThrow(() -> new AssertionError("not logged: " + records));
        assertEquals(Level.FINE, failure.getLevel());
        assertTrue(failure.getMessage().contains("refused with 500"), failure.getMessage());
        assertEquals("secret-detail-42", assertInstanceOf(IllegalStateException.class, failure.getThrown())
                .getMessage());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void anOriginTheConfiguratorRefusesIs403WithoutTheOrigin(Container container) throws Exception {
        String response = RawHttp.exchangeWhole(container.port(),
                RawHttp.handshake("/app/guarded", AUTHORIZATION, "Origin: http://evil.example"));
        assertEquals(403, status(response));
        String body = RawHttp.body(response);
        assertFalse(body.contains("evil.example"), body);
        assertEquals("403 Forbidden\n", body);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aBadKeyIs400WithoutTheKey(Container container) throws Exception {
        String key = "c2VjcmV0LWtleS1oZXJl"; // base64 of 15 bytes, not 16 (RFC 6455 §4.2.1 item 5)
        String response = RawHttp.exchangeWhole(container.port(), RawHttp.handshake("/app/guarded", AUTHORIZATION)
                .replace("dGhlIHNhbXBsZSBub25jZQ==", key));
        assertEquals(400, status(response));
        String body = RawHttp.body(response);
        assertFalse(body.contains(key), body);
        assertEquals("400 Bad Request: not a valid WebSocket opening handshake\n", body);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void anotherVersionIs426WithTheVersionHeaderAndAFixedBody(Container container) throws Exception {
        String response = RawHttp.exchangeWhole(container.port(), RawHttp.handshake("/app/guarded", AUTHORIZATION)
                .replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 7-planted"));
        assertEquals(426, status(response));
        assertTrue(response.contains("\r\nSec-WebSocket-Version: 13\r\n"), response);
        String body = RawHttp.body(response);
        assertFalse(body.contains("planted"), body);
        assertEquals("426 Upgrade Required: this server speaks WebSocket version 13\n", body);
    }

    // ------------------------------------------------------------------------------- the origin allow-list

    @Test
    void aListedOriginIsUpgraded() throws Exception {
        for (String origin : new String[] {"https://chat.example.com", "http://localhost:8080",
                "HTTPS://Chat.Example.com:443"}) {
            String response = RawHttp.exchange(allowListPort, RawHttp.handshake("/app/echo", "Origin: " + origin));
            assertEquals(101, status(response), origin);
        }
    }

    @Test
    void anOriginNotListedIs403WithoutTheOrigin() throws Exception {
        for (String origin : new String[] {"http://evil.example", "http://chat.example.com", "null",
                "http://localhost:8081"}) {
            String response = RawHttp.exchangeWhole(allowListPort,
                    RawHttp.handshake("/app/echo", "Origin: " + origin));
            assertEquals(403, status(response), origin);
            assertEquals("403 Forbidden\n", RawHttp.body(response), origin);
        }
    }

    @Test
    void aHandshakeWithoutOriginIsUpgraded() throws Exception {
        String response = RawHttp.exchange(allowListPort, RawHttp.handshake("/app/echo"));
        assertEquals(101, status(response));
        // The JDK's client sends no Origin: a program, not a page, as the allow-list lets through.
        JdkTextListener listener = new JdkTextListener();
        WebSocket socket = JdkTextListener.connect(uri(allowListPort, "/echo"), listener);
        try {
            socket.sendText("from a program", true).get(10, TimeUnit.SECONDS);
            assertEquals("from a program", listener.messages.poll(10, TimeUnit.SECONDS));
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aListedOriginStillNeedsTheConfiguratorsCheckOrigin() throws Exception {
        String refused = RawHttp.exchange(allowListPort,
                RawHttp.handshake("/app/guarded", "Origin: https://chat.example.com"));
        assertEquals(403, status(refused));
        String accepted = RawHttp.exchange(allowListPort,
                RawHttp.handshake("/app/guarded", "Origin: http://good.example"));
        assertEquals(101, status(accepted));
    }
}
