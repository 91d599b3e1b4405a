package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.testing.OpenSessions;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A closed session over loopback: its methods throw {@code IllegalStateException} (the {@code Session}
 * documentation), and a close the local container initiated reaches the local endpoint as 1006 while the
 * peer gets the specific code (WebSocket 2.2 §2.1.5).
 */
class ClosedSessionTest {

    private static final BreakwaterClientContainer container = new BreakwaterClientContainer();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Sender.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void methodsOfASessionClosedThrowIllegalStateExceptionButTheCloseMethodsIdAndIsOpenWork() throws Exception {
        BlockingQueue<String> duringOnClose = new LinkedBlockingQueue<>();
        RecordingClient client = new RecordingClient() {
            @Override
            public void onClose(Session session, CloseReason closeReason) {
                // Still usable during onClose: "retrieve any information from the session during onClose".
                duringOnClose.add(session.getRequestURI().getPath() + " " + session.getUserProperties().size());
                super.onClose(session, closeReason);
            }
        };
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                server.uri("/sender"));
        assertEquals("open", client.next());
        String id = session.getId();
        session.close();
        assertEquals("close:1000:", client.next());
        assertEquals("/sender 0", duringOnClose.poll(10, TimeUnit.SECONDS));

        // Closed once onClose has returned; the recording above happens just before, so wait for it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!throwsIllegalState(session::getBasicRemote) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        List<Executable> calls = List.of(
                session::getContainer,
                () -> session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> { }),
                () -> session.addMessageHandler(new MessageHandler.Whole<String>() {
                    @Override
                    public void onMessage(String message) {
                    }
                }),
                session::getMessageHandlers,
                () -> session.removeMessageHandler(null),
                session::getProtocolVersion,
                session::getNegotiatedSubprotocol,
                session::getNegotiatedExtensions,
                session::isSecure,
                session::getMaxIdleTimeout,
                () -> session.setMaxIdleTimeout(1000),
                () -> session.setMaxBinaryMessageBufferSize(1000),
                session::getMaxBinaryMessageBufferSize,
                () -> session.setMaxTextMessageBufferSize(1000),
                session::getMaxTextMessageBufferSize,
                session::getAsyncRemote,
                session::getBasicRemote,
                session::getRequestURI,
                session::getRequestParameterMap,
                session::getQueryString,
                session::getPathParameters,
                session::getUserProperties,
                session::getUserPrincipal,
                session::getOpenSessions);
        for (int i = 0; i < calls.size(); i++) {
            assertThrows(IllegalStateException.class, calls.get(i), "call " + i + " on a closed session");
        }
        assertEquals(id, session.getId());
        assertTrue(OpenSessions.closedWithinTenSeconds(session));
        assertDoesNotThrow(() -> session.close());
        assertDoesNotThrow(() -> session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "again")));
        client.assertNothingWithin(200); // closing again has no effect
    }

    @Test
    void aMessageOfATypeWithNoHandlerIsDroppedAndTheSessionStaysUsable() throws Exception {
        RecordingClient client = new RecordingClient((session, self) ->
                session.addMessageHandler(String.class, text -> self.record("text:" + text))); // no binary handler
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                server.uri("/sender"));
        assertEquals("open", client.next());
        session.getBasicRemote().sendText("binary");
        session.getBasicRemote().sendText("next");
        assertEquals("text:unknown command", client.next()); // the answer to "next"; the binary one was dropped
        assertTrue(session.isOpen());
        session.close();
        assertEquals("close:1000:", client.next());
        assertEquals("1000:", Sender.closes.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aMessageTooBigIs1009BothLocallyAndToThePeer() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                server.uri("/sender"));
        assertEquals("open", client.next());
        session.setMaxTextMessageBufferSize(50);
        session.getBasicRemote().sendText("big");
        String close = client.nextNotError();
        assertTrue(close.startsWith("close:1009:") && close.contains("50"), close);
        String serverClose = Sender.closes.poll(10, TimeUnit.SECONDS);
        assertTrue(serverClose != null && serverClose.startsWith("1009:"), serverClose);
    }

    private static boolean throwsIllegalState(Executable call) {
        try {
            call.execute();
            return false;
        } catch (IllegalStateException expected) {
            return true;
        } catch (Throwable other) {
            return false;
        }
    }

    /** Sends what it is asked to; records the closes it hears as {@code code:reason}. */
    @ServerEndpoint("/sender")
    public static class Sender {
        static final BlockingQueue<String> closes = new LinkedBlockingQueue<>();

        @OnMessage
        public void onMessage(Session session, String command) throws IOException {
            switch (command) {
                case "binary" -> session.getBasicRemote().sendBinary(ByteBuffer.allocate(3));
                case "big" -> session.getBasicRemote().sendText("x".repeat(51));
                default -> session.getBasicRemote().sendText("unknown command");
            }
        }

        @OnClose
        public void onClose(CloseReason reason) {
            closes.add(reason.getCloseCode().getCode() + ":" + reason.getReasonPhrase());
        }
    }
}
