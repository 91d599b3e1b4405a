package io.breakwater.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code breakwater.server.*} in a running application: an origin allow-list, as a browser's page would meet it, for
 * a {@code @ServerEndpoint} and for a Spring handler whose own origin check lets every origin through (Spring's
 * default, same origin only, would refuse the listed one before Breakwater is asked).
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "breakwater.server.allowed-origins=https://chat.example.com, http://localhost:8080")
class BreakwaterPropertiesTest {

    @LocalServerPort
    int port;

    @ParameterizedTest
    @ValueSource(strings = {"/annotated/echo", "/handler/echo-any-origin"})
    void aListedOriginIsAccepted(String path) throws Exception {
        try (JdkClient client = JdkClient.connect(uri(path), Map.of("Origin", "https://chat.example.com"))) {
            assertTrue(client.exchange("hi").contains(": hi, io.breakwater."));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/annotated/echo", "/handler/echo-any-origin"})
    void anotherOriginIsRefusedWith403(String path) {
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> JdkClient.connect(uri(path), Map.of("Origin", "https://evil.example")).close());
        WebSocketHandshakeException handshake = assertInstanceOfCause(refused);
        assertEquals(403, handshake.getResponse().statusCode());
    }

    @Test
    void aHandshakeWithoutOriginIsAccepted() throws Exception {
        // RFC 6455 §4.1: browsers always send Origin; a client that sends none is no page of another site.
        try (JdkClient client = JdkClient.connect(uri("/handler/echo"))) {
            assertTrue(client.exchange("hi").startsWith("handler: hi, "));
        }
    }

    private static WebSocketHandshakeException assertInstanceOfCause(ExecutionException refused) {
        if (refused.getCause() instanceof WebSocketHandshakeException handshake) {
            return handshake;
        }
        throw new AssertionError("expected a refused handshake", refused);
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }
}
