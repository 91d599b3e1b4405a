package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.ServerEndpoint;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Containers from {@code ContainerProvider} share their threads, which leave once idle: a program that
 * asks for a container per connection collects none.
 */
class SharedClientThreadsTest {

    private static final int CYCLES = 25;

    @ServerEndpoint("/shared-threads")
    public static class Echo {
        @OnMessage
        public String echo(String text) {
            return text;
        }
    }

    /** The threads that containers from the provider share: {@code breakwater-client-…} without a container's number. */
    private static final Predicate<String> SHARED_CLIENT_THREADS =
            name -> name.startsWith("breakwater-client-") && !name.matches("breakwater-client-\\d+-.*");

    @Test
    void aContainerPerConnectionLeavesNoThreadOnceIdle() throws Exception {
        // Shared threads that an earlier test left are given the time to leave, else this test would
        // find them in its baseline and learn nothing of whether they leave.
        assertEquals(List.of(), LiveThreads.awaitNone(SHARED_CLIENT_THREADS, 60));
        LiveThreads before = LiveThreads.baseline();
        try (TestServer server = TestServer.start(Echo.class)) {
            for (int i = 0; i < CYCLES; i++) {
                WebSocketContainer container = ContainerProvider.getWebSocketContainer();
                RecordingClient client = new RecordingClient();
                Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                        server.uri("/shared-threads"));
                assertEquals("open", client.next());
                session.getBasicRemote().sendText("cycle " + i);
                assertEquals("text:cycle " + i, client.next());
                session.close();
                assertEquals("close:1000:", client.next());
            }
            // While they work, the containers share one selector loop and one timer: threads per container
            // would be at least a selector and a timer each, 50 in all. (Callback threads are left out: how
            // many a pool needs depends on the machine's timing.)
            List<String> ioAndTimers = before.newThreads(name -> name.startsWith("breakwater-client-")
                    && !name.contains("-callback-"));
            assertFalse(ioAndTimers.isEmpty(), "the clients ran on threads started for them");
            assertTrue(ioAndTimers.size() < CYCLES, "threads per container: " + ioAndTimers);
        }
        // The server is closed, and the clients are idle: every thread that started since is gone.
        assertEquals(List.of(), before.awaitGone(name -> true, 60));
    }

    @Test
    void closingOneContainerClosesItsSessionsAndNoOtherContainers() throws Exception {
        try (TestServer server = TestServer.start(Echo.class)) {
            BreakwaterClientContainer closing = (BreakwaterClientContainer) ContainerProvider.getWebSocketContainer();
            WebSocketContainer staying = ContainerProvider.getWebSocketContainer();
            RecordingClient closed = new RecordingClient();
            RecordingClient open = new RecordingClient();
            closing.connectToServer(closed, ClientEndpointConfig.Builder.create().build(), server.uri("/shared-threads"));
            Session stays = staying.connectToServer(open, ClientEndpointConfig.Builder.create().build(),
                    server.uri("/shared-threads"));
            assertEquals("open", closed.next());
            assertEquals("open", open.next());

            assertTrue(closing.shutdown(), "the session closed within the close timeout");

            assertTrue(closed.next().startsWith("close:1001:"));
            // The other container, on the same threads, goes on.
            stays.getBasicRemote().sendText("still here");
            assertEquals("text:still here", open.next());
            stays.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "done"));
            assertEquals("close:1000:done", open.next());
        }
    }
}
