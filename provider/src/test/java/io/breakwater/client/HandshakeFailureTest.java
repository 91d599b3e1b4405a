package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The client's side of failed opening handshakes (RFC 6455 §4.1), against a fake server on a plain socket
 * that answers with crafted bytes: each attempt fails fast with an exception that says why, the endpoint
 * never hears {@code onOpen}, and the client lets go of the connection.
 */
class HandshakeFailureTest {

    private static final BreakwaterClientContainer container = new BreakwaterClientContainer();
    /**
     * The most an attempt may take: under the client's default connect timeout (10 s), so that an attempt
     * the client only gave up on at that timeout, instead of at the server's answer, fails the test.
     */
    private static final long HUNG_MILLIS = 9_000;

    @AfterAll
    static void noSessionLeft() {
        assertTrue(container.openSessions().isEmpty(), "sessions left open: " + container.openSessions());
    }

    @Test
    void aStatusOtherThan101IsADeploymentExceptionNamingIt() throws Exception {
        String body = "go away\n";
        Throwable failure = failedAttempt(key -> ("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII),
                ClientEndpointConfig.Builder.create().build());
        DeploymentException refused = assertInstanceOf(DeploymentException.class, failure);
        assertTrue(refused.getMessage().contains("403"), refused.getMessage());
    }

    @Test
    void aWrongAcceptIsADeploymentException() throws Exception {
        Throwable failure = failedAttempt(key -> RawServer.switching("dGhlIHNhbXBsZSBub25jZQ==", ""),
                ClientEndpointConfig.Builder.create().build());
        assertInstanceOf(DeploymentException.class, failure);
        assertTrue(failure.getMessage().contains("Sec-WebSocket-Accept"), failure.getMessage());
    }

    @Test
    void aSubprotocolThatWasNotRequestedIsADeploymentException() throws Exception {
        Throwable failure = failedAttempt(key -> RawServer.switching(key, "Sec-WebSocket-Protocol: mqtt\r\n"),
                ClientEndpointConfig.Builder.create().preferredSubprotocols(List.of("chat")).build());
        assertInstanceOf(DeploymentException.class, failure);
        assertTrue(failure.getMessage().contains("mqtt") && failure.getMessage().contains("not requested"),
                failure.getMessage());
    }

    @Test
    void aSubprotocolWhenNoneWasRequestedIsADeploymentException() throws Exception {
        Throwable failure = failedAttempt(key -> RawServer.switching(key, "Sec-WebSocket-Protocol: chat\r\n"),
                ClientEndpointConfig.Builder.create().build());
        assertInstanceOf(DeploymentException.class, failure);
        assertTrue(failure.getMessage().contains("not requested"), failure.getMessage());
    }

    @Test
    void anExtensionThatWasNotOfferedIsADeploymentException() throws Exception {
        Throwable failure = failedAttempt(key -> RawServer.switching(key, "Sec-WebSocket-Extensions: x-webkit-zip\r\n"),
                ClientEndpointConfig.Builder.create().build());
        assertInstanceOf(DeploymentException.class, failure);
        assertTrue(failure.getMessage().contains("x-webkit-zip") && failure.getMessage().contains("not offered"),
                failure.getMessage());
    }

    @Test
    void anInvalidPermessageDeflateAnswerIsADeploymentException() throws Exception {
        Extension deflate = container.getInstalledExtensions().iterator().next();
        Throwable failure = failedAttempt(key -> RawServer.switching(key,
                        "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=20\r\n"),
                ClientEndpointConfig.Builder.create().extensions(List.of(deflate)).build());
        assertInstanceOf(DeploymentException.class, failure);
        assertTrue(failure.getMessage().contains("permessage-deflate"), failure.getMessage());
    }

    @Test
    void aResponseThatIsNotHttpFails() throws Exception {
        Throwable failure = failedAttempt(key -> "SSH-2.0-OpenSSH_9.6\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                ClientEndpointConfig.Builder.create().build());
        assertTrue(failure instanceof DeploymentException || failure instanceof IOException, String.valueOf(failure));
    }

    @Test
    void aServerThatEndsTheConnectionDuringTheResponseIsAnIOException() throws Exception {
        Throwable failure = failedAttempt(new RawServer(key -> "HTTP/1.1 101 Switching".getBytes(StandardCharsets.US_ASCII),
                RawServer.After.END_OUTPUT), ClientEndpointConfig.Builder.create().build());
        assertInstanceOf(IOException.class, failure);
        assertTrue(failure.getMessage().contains("closed the connection during the handshake"), failure.getMessage());
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithAnIOException() throws Exception {
        long started = System.nanoTime();
        Throwable failure = failedAttempt(key -> null, shortTimeout(300));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertInstanceOf(IOException.class, failure);
        assertTrue(failure.getMessage().contains("300 ms"), failure.getMessage());
        // Never before the timeout; how long after it depends on the machine's load, and failedAttempt
        // already bounds the whole attempt against a hang.
        assertTrue(elapsedMillis >= 300, "gave up after " + elapsedMillis + " ms, before the 300 ms timeout");
    }

    // ------------------------------------------------------------------------------------------------

    private static ClientEndpointConfig shortTimeout(long millis) {
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create().build();
        config.getUserProperties().put(BreakwaterClientContainer.CONNECT_TIMEOUT_PROPERTY, millis);
        return config;
    }

    /**
     * Connects to a fake server answering with {@code response}, and returns what the attempt threw after
     * checking that it threw soon enough, that the endpoint heard nothing, and that the connection is let go.
     */
    private static Throwable failedAttempt(Function<String, byte[]> response, ClientEndpointConfig config)
            throws Exception {
        return failedAttempt(new RawServer(response), config);
    }

    private static Throwable failedAttempt(RawServer fake, ClientEndpointConfig config) throws Exception {
        try (RawServer server = fake) {
            Events endpoint = new Events();
            long started = System.nanoTime();
            Throwable failure = assertThrows(Exception.class,
                    () -> container.connectToServer(endpoint, config, server.uri("/chat")));
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            // A bound against a hang only, far above any timeout here, so that it holds on a loaded machine.
            assertTrue(elapsedMillis < HUNG_MILLIS, "the attempt took " + elapsedMillis + " ms");
            assertTrue(server.request.get(5, TimeUnit.SECONDS).startsWith("GET /chat HTTP/1.1\r\n"));
            server.clientGone.get(5, TimeUnit.SECONDS); // the client closed the connection
            assertNull(endpoint.events.poll(), "the endpoint heard of a connection that never opened");
            assertTrue(container.openSessions().isEmpty());
            return failure;
        }
    }

    private static final class Events extends Endpoint {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            events.add("open");
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            events.add("close");
        }

        @Override
        public void onError(Session session, Throwable thr) {
            events.add("error:" + thr);
        }
    }
}
