package io.breakwater.samples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.breakwater.samples.server.ChatServer;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chat used through the Jakarta client API on Breakwater's own client container, with the same
 * encoder and decoder classes the server names, and with permessage-deflate offered.
 */
class ChatOverBreakwaterClientTest {

    private static ChatServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ChatServer.start(0);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Collects the decoded messages of one session. */
    private static final class Inbox extends Endpoint {
        final BlockingQueue<ServerMessage> messages = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(ServerMessage.class, (MessageHandler.Whole<ServerMessage>) messages::add);
        }

        <T extends ServerMessage> T next(Class<T> kind) throws InterruptedException {
            ServerMessage message = messages.poll(10, TimeUnit.SECONDS);
            assertNotNull(message, "no message from the server within 10 s");
            return assertInstanceOf(kind, message);
        }
    }

    @Test
    void compressedChatWithAMemberOnAnotherClient() throws Exception {
        WebSocketContainer container = ContainerProvider.getWebSocketContainer();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .encoders(List.of(ClientMessageEncoder.class))
                .decoders(List.of(ServerMessageDecoder.class))
                .extensions(List.copyOf(container.getInstalledExtensions()))
                .build();
        Inbox inbox = new Inbox();
        try (Session session = container.connectToServer(inbox, config,
                URI.create("ws://127.0.0.1:" + server.port() + "/chat/mixed?name=ada"))) {
            assertEquals(List.of("permessage-deflate"),
                    session.getNegotiatedExtensions().stream().map(Extension::getName).toList());
            ServerMessage.Welcome welcome = inbox.next(ServerMessage.Welcome.class);
            assertEquals("ada", welcome.you());
            // The server's own Session.getNegotiatedExtensions(), as the welcome reports it.
            assertEquals(List.of("permessage-deflate"), welcome.extensions());

            JdkMember grace = JdkMember.join(server.port(), "mixed", "grace");
            assertEquals(List.of(), grace.next(ServerMessage.Welcome.class).extensions());
            assertEquals(List.of("ada", "grace"), inbox.next(ServerMessage.Joined.class).members());

            String longLine = "compressible ".repeat(150);
            session.getBasicRemote().sendObject(new ClientMessage(longLine));
            assertEquals(longLine.strip(), inbox.next(ServerMessage.Said.class).text());
            assertEquals(longLine.strip(), grace.next(ServerMessage.Said.class).text());

            grace.say("got it");
            ServerMessage.Said reply = inbox.next(ServerMessage.Said.class);
            assertEquals("grace", reply.from());
            assertEquals("got it", reply.text());
            grace.next(ServerMessage.Said.class);

            session.close();
            ServerMessage.Left left = grace.next(ServerMessage.Left.class);
            assertEquals("ada", left.name());
            assertEquals(List.of("grace"), left.members());
            grace.leave();
        }
    }
}
