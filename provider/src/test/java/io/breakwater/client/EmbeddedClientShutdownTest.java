package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A server container is also a client container ({@code ServerContainer extends WebSocketContainer});
 * its shutdown, when the web application is undeployed, closes that client and ends its threads, so
 * that none keeps the application's class loader reachable.
 */
class EmbeddedClientShutdownTest {

    /** The threads of client containers with threads of their own, as the server's is: {@code breakwater-client-N-…}. */
    private static final Predicate<String> CLIENT_THREADS = name -> name.matches("breakwater-client-\\d+-.*");

    @ServerEndpoint("/embedded-echo")
    public static class Echo {
        @OnMessage
        public String echo(String text) {
            return text;
        }
    }

    @Test
    void shutdownClosesTheClientBehindConnectToServerAndEndsItsThreads() throws Exception {
        try (TestServer server = TestServer.start(Echo.class)) {
            LiveThreads before = LiveThreads.baseline();
            RecordingClient client = new RecordingClient();
            Session session = server.container().connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                    server.uri("/embedded-echo"));
            assertEquals("open", client.next());
            session.getBasicRemote().sendText("hello");
            assertEquals("text:hello", client.next());
            assertFalse(before.newThreads(CLIENT_THREADS).isEmpty(), "the server container's client runs threads");

            server.container().shutdown();

            assertTrue(client.nextNotError().startsWith("close:1001:"));
            assertEquals(List.of(), before.awaitGone(CLIENT_THREADS, 30));
            assertThrows(IOException.class, () -> server.container().connectToServer(new RecordingClient(),
                    ClientEndpointConfig.Builder.create().build(), server.uri("/embedded-echo")));
        }
    }
}
