package io.breakwater.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.api.CallbackThreads;
import io.breakwater.api.SessionSettings;
import io.breakwater.api.annotated.AnnotatedEndpoint;
import io.breakwater.handshake.HttpHeaders;
import io.breakwater.handshake.HttpResponseHead;
import io.breakwater.handshake.ServerHandshake;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerUpgradeTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final BreakwaterServerContainer container =
            new BreakwaterServerContainer(SessionSettings.defaults(CallbackThreads.unlimited(Runnable::run), timers));
    private final List<String> calls = new ArrayList<>();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @ServerEndpoint("/echo")
    public static class Echo {
        @OnMessage
        public String echo(String text) {
            return text;
        }
    }

    /** Records the order of the calls; refuses the origin "http://evil"; adds a header and a user property. */
    final class Recording extends ServerEndpointConfig.Configurator {
        @Override
        public boolean checkOrigin(String origin) {
            calls.add("checkOrigin");
            return !"http://evil".equals(origin);
        }

        @Override
        public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
            calls.add("getNegotiatedSubprotocol");
            return super.getNegotiatedSubprotocol(supported, requested);
        }

        @Override
        public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            calls.add("getNegotiatedExtensions");
            return super.getNegotiatedExtensions(installed, requested);
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            calls.add("modifyHandshake");
            response.getHeaders().put("X-Token", List.of("t-" + request.getParameterMap().get("id").get(0)));
            response.getHeaders().put("Sec-WebSocket-Accept", List.of("forged"));
            sec.getUserProperties().put("id", request.getParameterMap().get("id").get(0));
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
            calls.add("getEndpointInstance");
            return super.getEndpointInstance(endpointClass);
        }
    }

    private record Request(Map<String, List<String>> getHeaders, URI getRequestURI,
                           Map<String, List<String>> getParameterMap, String getQueryString) implements HandshakeRequest {
        @Override
        public Principal getUserPrincipal() {
            return null;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }

        @Override
        public Object getHttpSession() {
            return null;
        }
    }

    private ServerEndpointConfig deploy(List<String> subprotocols) throws Exception {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(Echo.class, "/echo")
                .subprotocols(subprotocols).configurator(new Recording()).build();
        config.getUserProperties().put("shared", "yes");
        container.addEndpoint(config);
        return config;
    }

    private ServerUpgrade.Result decide(String origin, String protocols, String extensions, String id) {
        HttpHeaders headers = HttpHeaders.of("Host", "localhost", "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13");
        if (origin != null) {
            headers.add("Origin", origin);
        }
        if (protocols != null) {
            headers.add("Sec-WebSocket-Protocol", protocols);
        }
        if (extensions != null) {
            headers.add("Sec-WebSocket-Extensions", extensions);
        }
        ServerHandshake.Accepted accepted = (ServerHandshake.Accepted)
                ServerHandshake.validate("GET", "HTTP/1.1", "/echo?id=" + id, headers);
        Request request = new Request(Map.of(), URI.create("ws://localhost/echo?id=" + id),
                Map.of("id", List.of(id)), "id=" + id);
        return container.upgrade(container.find("/echo").orElseThrow(), accepted, request);
    }

    @Test
    void refusedOriginIs403AndStopsTheDecisions() throws Exception {
        deploy(List.of());
        ServerUpgrade.Rejection rejection = assertInstanceOf(ServerUpgrade.Rejection.class,
                decide("http://evil", null, null, "1"));
        assertEquals(403, rejection.status());
        assertEquals(List.of("checkOrigin"), calls);
    }

    @Test
    void theAllowListIsCheckedBeforeTheConfigurator() throws Exception {
        deploy(List.of());
        container.setAllowedOrigins(List.of("http://good", "http://evil"));
        ServerUpgrade.Rejection notListed = assertInstanceOf(ServerUpgrade.Rejection.class,
                decide("http://other", null, null, "1"));
        assertEquals(403, notListed.status());
        assertEquals(List.of(), calls, "the configurator is not asked about an origin the list refuses");
        assertEquals(403, assertInstanceOf(ServerUpgrade.Rejection.class, decide("http://evil", null, null, "2"))
                .status(), "a listed origin still needs the configurator's checkOrigin");
        assertEquals(List.of("checkOrigin"), calls);
        assertInstanceOf(ServerUpgrade.Acceptance.class, decide("http://good", null, null, "3"));
        assertInstanceOf(ServerUpgrade.Acceptance.class, decide(null, null, null, "4"), "no Origin: no browser");
    }

    @Test
    void theAllowListOutlivesAnInstalledExtensionAndCanBeRemoved() throws Exception {
        deploy(List.of());
        container.setAllowedOrigins(List.of("http://good"));
        container.installExtension("ext1");
        assertEquals(403, assertInstanceOf(ServerUpgrade.Rejection.class, decide("http://other", null, null, "1"))
                .status());
        assertEquals(Optional.of(Set.of("http://good")), container.getAllowedOrigins());
        container.setAllowedOrigins(null);
        assertInstanceOf(ServerUpgrade.Acceptance.class, decide("http://other", null, null, "2"));
        assertEquals(Optional.empty(), container.getAllowedOrigins());
    }

    @Test
    void aMalformedAllowListIsRefusedAndTheOldOneKept() throws Exception {
        deploy(List.of());
        container.setAllowedOrigins(List.of("http://good"));
        assertThrows(IllegalArgumentException.class,
                () -> container.setAllowedOrigins(List.of("http://other", "http://other/path")));
        assertEquals(403, assertInstanceOf(ServerUpgrade.Rejection.class, decide("http://other", null, null, "1"))
                .status());
    }

    @Test
    void aConfiguratorFailureIs500WithTheCauseForTheLogOnly() throws Exception {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(Echo.class, "/echo")
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request,
                                                HandshakeResponse response) {
                        throw new IllegalStateException("secret-detail-42");
                    }
                }).build();
        container.addEndpoint(config);
        ServerUpgrade.Rejection rejection = assertInstanceOf(ServerUpgrade.Rejection.class,
                decide(null, null, null, "1"));
        assertEquals(500, rejection.status());
        assertEquals("secret-detail-42", assertInstanceOf(IllegalStateException.class, rejection.cause()).getMessage());
        assertTrue(rejection.reason().contains("secret-detail-42"), rejection.reason());
        String body = rejection.toRejected().publicText();
        assertEquals("500 Internal Server Error", body);
    }

    @Test
    void decisionsRunInTheSpecificationsOrder() throws Exception {
        deploy(List.of());
        assertInstanceOf(ServerUpgrade.Acceptance.class, decide("http://good", null, null, "1"));
        assertEquals(List.of("checkOrigin", "getNegotiatedSubprotocol", "getNegotiatedExtensions", "modifyHandshake",
                "getEndpointInstance"), calls);
    }

    @Test
    void subprotocolIsTheClientsFirstSupportedOne() throws Exception {
        deploy(List.of("v1", "v2"));
        ServerUpgrade.Acceptance accepted = assertInstanceOf(ServerUpgrade.Acceptance.class,
                decide(null, "v3, v2, v1", null, "1"));
        assertEquals("v2", accepted.subprotocol());
        assertEquals("v2", accepted.response().headers().first("Sec-WebSocket-Protocol"));
    }

    @Test
    void noCommonSubprotocolMeansNoProtocolHeader() throws Exception {
        deploy(List.of("v1"));
        ServerUpgrade.Acceptance accepted = assertInstanceOf(ServerUpgrade.Acceptance.class,
                decide(null, "v9", null, "1"));
        assertEquals("", accepted.subprotocol());
        assertFalse(accepted.response().headers().contains("Sec-WebSocket-Protocol"));
    }

    @Test
    void extensionsAreInstalledOnesInTheClientsOrder() throws Exception {
        container.installExtension("ext1");
        deploy(List.of());
        ServerUpgrade.Acceptance accepted = assertInstanceOf(ServerUpgrade.Acceptance.class,
                decide(null, null, "unknown, ext1; a=1, permessage-deflate; client_max_window_bits", "1"));
        List<String> names = accepted.extensions().stream().map(Extension::getName).toList();
        assertEquals(List.of("ext1", "permessage-deflate"), names);
        assertNotNull(accepted.extension());
        String header = accepted.response().headers().first("Sec-WebSocket-Extensions");
        assertTrue(header.startsWith("ext1, permessage-deflate"), header);
        assertFalse(header.contains("unknown"), header);
        assertFalse(header.contains("a=1"), header);
    }

    @Test
    void withoutOffersThereIsNoExtension() throws Exception {
        deploy(List.of());
        ServerUpgrade.Acceptance accepted = assertInstanceOf(ServerUpgrade.Acceptance.class,
                decide(null, null, "ext2", "1"));
        assertTrue(accepted.extensions().isEmpty());
        assertNull(accepted.extension());
        assertFalse(accepted.response().headers().contains("Sec-WebSocket-Extensions"));
    }

    @Test
    void modifyHandshakeHeadersReachTheResponseButNotReservedOnes() throws Exception {
        deploy(List.of());
        ServerUpgrade.Acceptance accepted = assertInstanceOf(ServerUpgrade.Acceptance.class,
                decide(null, null, null, "42"));
        HttpResponseHead head = accepted.response();
        assertEquals(101, head.status());
        assertEquals("t-42", head.headers().first("X-Token"));
        assertEquals(List.of(ServerHandshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ==")),
                head.headers().all("Sec-WebSocket-Accept"));
    }

    @Test
    void userPropertiesArePerConnectionCopies() throws Exception {
        ServerEndpointConfig shared = deploy(List.of());
        ServerUpgrade.Acceptance first = (ServerUpgrade.Acceptance) decide(null, null, null, "1");
        ServerUpgrade.Acceptance second = (ServerUpgrade.Acceptance) decide(null, null, null, "2");
        assertEquals("1", first.config().getUserProperties().get("id"));
        assertEquals("2", second.config().getUserProperties().get("id"));
        assertEquals("yes", first.config().getUserProperties().get("shared"));
        assertFalse(shared.getUserProperties().containsKey("id"));
        assertNotSame(first.config().getUserProperties(), second.config().getUserProperties());
        assertEquals(container.group(shared), container.group(first.config()));
    }

    @Test
    void annotatedEndpointsAreWrapped() throws Exception {
        deploy(List.of());
        ServerUpgrade.Acceptance accepted = (ServerUpgrade.Acceptance) decide(null, null, null, "1");
        assertInstanceOf(AnnotatedEndpoint.class, accepted.endpoint());
    }
}
