package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Messages that arrive while {@code onOpen} is still running wait for it: the handlers it registers get
 * them (WebSocket 2.2 §2.1.2: the open notification comes first, then the messages), on either side.
 */
class OpeningTest {

    private static final BreakwaterClientContainer container = new BreakwaterClientContainer();

    @Test
    void aFrameThatCameWithTheHandshakeResponseReachesTheHandlerOnOpenRegisters() throws Exception {
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        try (RawServer server = new RawServer(key -> RawServer.concat(RawServer.switching(key, ""),
                RawServer.frame(0x1, hello)))) {
            HandlersInOnOpen client = new HandlersInOnOpen(200);
            Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                    server.uri("/"));
            assertEquals("text:hello", client.next());
            session.close();
        }
    }

    @Test
    void messagesWaitForASlowOnOpenOfTheClient() throws Exception {
        try (TestServer server = TestServer.start(GreetingServer.class)) {
            // The server greets as soon as it is open; the client takes its time to register its handler.
            HandlersInOnOpen client = new HandlersInOnOpen(200);
            Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                    server.uri("/greeting"));
            assertEquals("text:welcome", client.next());
            session.close();
            assertEquals("close:1000", client.next());
        }
    }

    @Test
    void messagesWaitForASlowOnOpenOfTheServer() throws Exception {
        try (TestServer server = TestServer.start(ServerEndpointConfig.Builder.create(SlowOpenServer.class, "/slow").build())) {
            HandlersInOnOpen client = new HandlersInOnOpen(0);
            Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                    server.uri("/slow"));
            // Sent at once, while the server's onOpen still runs.
            session.getBasicRemote().sendText("first");
            session.getBasicRemote().sendText("second");
            assertEquals("text:echo first", client.next());
            assertEquals("text:echo second", client.next());
            session.close();
        }
    }

    // ------------------------------------------------------------------------------------------------

    @ServerEndpoint("/greeting")
    public static class GreetingServer {
        @OnOpen
        public void open(Session session) throws IOException {
            session.getBasicRemote().sendText("welcome");
        }

        @OnMessage
        public void ignore(String text) {
        }
    }

    /** Registers its echo only after a set-up that takes a while. */
    public static class SlowOpenServer extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            try {
                Thread.sleep(200); // an application that takes its time to set up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            session.addMessageHandler(String.class, text -> {
                try {
                    session.getBasicRemote().sendText("echo " + text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Registers its text handler at the end of an {@code onOpen} that takes {@code setupMillis}. */
    static final class HandlersInOnOpen extends Endpoint {
        private final long setupMillis;
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        HandlersInOnOpen(long setupMillis) {
            this.setupMillis = setupMillis;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            try {
                Thread.sleep(setupMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            session.addMessageHandler(String.class, text -> events.add("text:" + text));
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            events.add("close:" + closeReason.getCloseCode().getCode());
        }

        @Override
        public void onError(Session session, Throwable thr) {
            events.add("error:" + thr);
        }

        String next() throws InterruptedException {
            String event = events.poll(10, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("nothing within 10 s");
            }
            return event;
        }
    }
}
