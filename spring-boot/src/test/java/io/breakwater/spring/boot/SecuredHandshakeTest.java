package io.breakwater.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Spring Security's default configuration in front of the WebSocket endpoints: its filter comes before Breakwater's
 * upgrade filter and before the DispatcherServlet, so a handshake without credentials is refused as any request is,
 * and one with them reaches the endpoint with its principal.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.autoconfigure.exclude=", "spring.security.user.name=ada",
                "spring.security.user.password=lovelace"})
class SecuredHandshakeTest {

    @LocalServerPort
    int port;

    @ParameterizedTest
    @ValueSource(strings = {"/annotated/echo", "/handler/echo"})
    void aHandshakeWithoutCredentialsIsRefusedWith401(String path) {
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> JdkClient.connect(uri(path)).close());
        if (!(refused.getCause() instanceof WebSocketHandshakeException handshake)) {
            throw new AssertionError("expected a refused handshake", refused);
        }
        assertEquals(401, handshake.getResponse().statusCode());
    }

    @Test
    void aHandshakeWithCredentialsReachesTheHandlerWithItsPrincipal() throws Exception {
        String credentials = Base64.getEncoder().encodeToString("ada:lovelace".getBytes(StandardCharsets.UTF_8));
        try (JdkClient client = JdkClient.connect(uri("/handler/echo"), Map.of("Authorization", "Basic " + credentials))) {
            String reply = client.exchange("hi");
            assertTrue(reply.startsWith("handler: hi, io.breakwater."), reply);
            assertTrue(reply.endsWith(", ada"), reply);
        }
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }
}
