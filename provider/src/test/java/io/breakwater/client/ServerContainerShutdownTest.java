package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;
import org.junit.jupiter.api.Test;

/** {@link io.breakwater.server.BreakwaterServerContainer#shutdown()} over loopback. */
class ServerContainerShutdownTest {

    @ServerEndpoint("/shutdown-echo")
    public static class Echo {
        @OnMessage
        public String echo(String text) {
            return text;
        }
    }

    @Test
    void shutdownClosesEveryOpenSessionWithGoingAway() throws Exception {
        BreakwaterClientContainer client = new BreakwaterClientContainer();
        try (TestServer server = TestServer.start(Echo.class)) {
            RecordingClient first = new RecordingClient();
            RecordingClient second = new RecordingClient();
            Session one = client.connectToServer(first, ClientEndpointConfig.Builder.create().build(),
                    server.uri("/shutdown-echo"));
            Session two = client.connectToServer(second, ClientEndpointConfig.Builder.create().build(),
                    server.uri("/shutdown-echo"));
            assertEquals("open", first.next());
            assertEquals("open", second.next());
            ServerEndpointConfig config = server.container().endpointConfigs().get(0);
            assertEquals(2, server.container().group(config).openSessions().size());

            server.container().shutdown();

            assertTrue(first.next().startsWith("close:1001:"));
            assertTrue(second.next().startsWith("close:1001:"));
            assertTrue(!one.isOpen() && !two.isOpen());
        }
    }
}
