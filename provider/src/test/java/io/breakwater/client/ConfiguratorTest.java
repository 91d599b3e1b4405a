package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Configurators over loopback: the client's {@code beforeRequest} and {@code afterResponse}, the
 * server's {@code modifyHandshake} and {@code checkOrigin}, and the user properties they hand on.
 */
class ConfiguratorTest {

    private static final BreakwaterClientContainer container = new BreakwaterClientContainer();
    private static final ServerEndpointConfig tokenConfig = ServerEndpointConfig.Builder
            .create(TokenServer.class, "/token").configurator(new TokenConfigurator()).build();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        tokenConfig.getUserProperties().put("shared", "from the endpoint's configuration");
        server = TestServer.start(tokenConfig, OriginServer.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void headersFromBeforeRequestReachTheServerAndAfterResponseSeesTheServersHeaders() throws Exception {
        HeaderConfigurator configurator = new HeaderConfigurator("X-Token", "secret-1");
        RecordingClient client = new RecordingClient();
        Session session = container.connectToServer(client,
                ClientEndpointConfig.Builder.create().configurator(configurator).build(), server.uri("/token"));
        assertEquals("open", client.next());
        // The server's modifyHandshake kept the header in the user properties, which its session started from.
        assertEquals("text:token=secret-1 shared=from the endpoint's configuration", client.next());

        // beforeRequest saw the handshake's own headers, and could add to them.
        Map<String, List<String>> request = configurator.request;
        assertEquals("websocket", request.get("Upgrade").get(0));
        assertEquals("13", request.get("Sec-WebSocket-Version").get(0));
        assertTrue(request.containsKey("Sec-WebSocket-Key") && request.containsKey("Host"), request.toString());
        // afterResponse saw the server's headers: the handshake's and the one modifyHandshake added.
        Map<String, List<String>> response = configurator.response.poll(5, TimeUnit.SECONDS);
        assertEquals(List.of("breakwater-test"), response.get("X-Server"));
        assertEquals(List.of("secret-1"), response.get("X-Token-Seen"));
        assertTrue(response.containsKey("Sec-WebSocket-Accept"), response.toString());
        session.close();
        assertEquals("close:1000:", client.next());
    }

    @Test
    void eachConnectionHasItsOwnCopyOfTheServersUserProperties() throws Exception {
        RecordingClient first = new RecordingClient();
        RecordingClient second = new RecordingClient();
        Session one = container.connectToServer(first, ClientEndpointConfig.Builder.create()
                .configurator(new HeaderConfigurator("X-Token", "first")).build(), server.uri("/token"));
        Session two = container.connectToServer(second, ClientEndpointConfig.Builder.create()
                .configurator(new HeaderConfigurator("X-Token", "second")).build(), server.uri("/token"));
        assertEquals("open", first.next());
        assertEquals("open", second.next());
        assertEquals("text:token=first shared=from the endpoint's configuration", first.next());
        assertEquals("text:token=second shared=from the endpoint's configuration", second.next());
        // What modifyHandshake stored went into the connection's copy, not into the endpoint's configuration.
        assertFalse(tokenConfig.getUserProperties().containsKey("token"));
        // And a session's own changes stay in that session.
        one.getBasicRemote().sendText("set:changed");
        assertEquals("text:token=changed shared=from the endpoint's configuration", first.next());
        two.getBasicRemote().sendText("get");
        assertEquals("text:token=second shared=from the endpoint's configuration", second.next());
        one.close();
        two.close();
        assertEquals("close:1000:", first.next());
        assertEquals("close:1000:", second.next());
    }

    @Test
    void theAnnotatedClientsConfiguratorIsUsed() throws Exception {
        AnnotatedTokenClient client = new AnnotatedTokenClient();
        Session session = container.connectToServer(client, server.uri("/token"));
        assertEquals("token=from-annotation shared=from the endpoint's configuration",
                client.messages.poll(10, TimeUnit.SECONDS));
        session.close();
    }

    @Test
    void anOriginAddedByBeforeRequestPassesTheServersOriginCheck() throws Exception {
        DeploymentException refused = assertThrows(DeploymentException.class, () -> container.connectToServer(
                new RecordingClient(), ClientEndpointConfig.Builder.create().build(), server.uri("/origin")));
        assertTrue(refused.getMessage().contains("403"), refused.getMessage());

        RecordingClient client = new RecordingClient();
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create()
                .configurator(new HeaderConfigurator("Origin", "https://good.example")).build(), server.uri("/origin"));
        assertEquals("open", client.next());
        assertEquals("text:welcome from https://good.example", client.next());
        session.close();
    }

    // ------------------------------------------------------------------------------------------------

    /** Adds one header to the request, and keeps what it saw. */
    static final class HeaderConfigurator extends ClientEndpointConfig.Configurator {
        private final String name;
        private final String value;
        volatile Map<String, List<String>> request;
        final BlockingQueue<Map<String, List<String>>> response = new LinkedBlockingQueue<>();

        HeaderConfigurator(String name, String value) {
            this.name = name;
            this.value = value;
        }

        @Override
        public void beforeRequest(Map<String, List<String>> headers) {
            headers.put(name, List.of(value));
            request = Map.copyOf(headers);
        }

        @Override
        public void afterResponse(HandshakeResponse handshakeResponse) {
            response.add(handshakeResponse.getHeaders());
        }
    }

    public static final class AnnotationConfigurator extends ClientEndpointConfig.Configurator {
        @Override
        public void beforeRequest(Map<String, List<String>> headers) {
            headers.put("X-Token", List.of("from-annotation"));
        }
    }

    @ClientEndpoint(configurator = AnnotationConfigurator.class)
    public static class AnnotatedTokenClient {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

        @OnMessage
        public void message(String text) {
            messages.add(text);
        }
    }

    /** Keeps the request's X-Token in the connection's user properties, and answers with headers of its own. */
    public static final class TokenConfigurator extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            List<String> token = request.getHeaders().get("x-token"); // names are case-insensitive
            if (token != null) {
                sec.getUserProperties().put("token", token.get(0));
                response.getHeaders().put("X-Token-Seen", List.of(token.get(0)));
            }
            response.getHeaders().put("X-Server", List.of("breakwater-test"));
        }
    }

    /** Reports its session's user properties on open, and on "get"; "set:x" changes the token. */
    public static class TokenServer extends jakarta.websocket.Endpoint {
        @Override
        public void onOpen(Session session, jakarta.websocket.EndpointConfig config) {
            session.addMessageHandler(String.class, command -> {
                if (command.startsWith("set:")) {
                    session.getUserProperties().put("token", command.substring(4));
                }
                report(session);
            });
            report(session);
        }

        private static void report(Session session) {
            try {
                session.getBasicRemote().sendText("token=" + session.getUserProperties().get("token")
                        + " shared=" + session.getUserProperties().get("shared"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    public static final class GoodOriginOnly extends ServerEndpointConfig.Configurator {
        @Override
        public boolean checkOrigin(String originHeaderValue) {
            return "https://good.example".equals(originHeaderValue);
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            sec.getUserProperties().put("origin", request.getHeaders().get("Origin").get(0));
        }
    }

    @ServerEndpoint(value = "/origin", configurator = GoodOriginOnly.class)
    public static class OriginServer {
        @OnOpen
        public void open(Session session) throws IOException {
            session.getBasicRemote().sendText("welcome from " + session.getUserProperties().get("origin"));
        }
    }
}
