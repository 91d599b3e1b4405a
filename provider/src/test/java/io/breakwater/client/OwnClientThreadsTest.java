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

/** A container made explicitly has threads of its own, and closing it ends them. */
class OwnClientThreadsTest {

    /** The threads of containers with their own: {@code breakwater-client-N-…} (the shared ones have no number). */
    private static final Predicate<String> OWN_CLIENT_THREADS = name -> name.matches("breakwater-client-\\d+-.*");

    @ServerEndpoint("/own-threads")
    public static class Echo {
        @OnMessage
        public String echo(String text) {
            return text;
        }
    }

    @Test
    void closingTheContainerClosesItsSessionsWithGoingAwayAndEndsItsThreads() throws Exception {
        try (TestServer server = TestServer.start(Echo.class)) {
            LiveThreads before = LiveThreads.baseline();
            BreakwaterClientContainer container = new BreakwaterClientContainer();
            RecordingClient client = new RecordingClient();
            Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                    server.uri("/own-threads"));
            assertEquals("open", client.next());
            session.getBasicRemote().sendText("hello");
            assertEquals("text:hello", client.next());
            assertFalse(before.newThreads(OWN_CLIENT_THREADS).isEmpty(), "the container runs threads of its own");

            container.close();

            assertTrue(client.next().startsWith("close:1001:"));
            assertFalse(session.isOpen());
            assertEquals(List.of(), before.awaitGone(OWN_CLIENT_THREADS, 30));
            assertThrows(IOException.class, () -> container.connectToServer(new RecordingClient(),
                    ClientEndpointConfig.Builder.create().build(), server.uri("/own-threads")));
        }
    }

    @Test
    void aContainerNeverUsedHoldsNoThread() {
        LiveThreads before = LiveThreads.baseline();
        BreakwaterClientContainer container = new BreakwaterClientContainer();
        assertEquals(List.of(), before.newThreads(OWN_CLIENT_THREADS));
        container.close(); // nothing to stop, and closing starts nothing either
        assertEquals(List.of(), before.newThreads(OWN_CLIENT_THREADS));
    }
}
