package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.PongMessage;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules of {@code RemoteEndpoint}, {@code Basic} and {@code Async} as their API documentation states them. */
class RemoteEndpointTest {

    private static final BreakwaterClientContainer container = new BreakwaterClientContainer();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(ServerEndpointConfig.Builder.create(MessageTypesTest.EchoEndpoint.class, "/echo").build(),
                ServerEndpointConfig.Builder.create(HeartbeatServer.class, "/heartbeat").build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBufferSentSuccessfullyIsConsumed() throws Exception {
        // "If the sending of the message completes successfully, the buffer's limit will be unchanged and the
        // buffer's position will be equal to the limit."
        RecordingClient client = pongRecordingClient();
        Session session = connect(client);
        ByteBuffer whole = buffer(10);
        session.getBasicRemote().sendBinary(whole);
        assertConsumed(whole, 10);
        assertEquals("binary:8", client.next()); // the bytes from the position (2) to the limit (10)

        ByteBuffer part = buffer(6);
        session.getBasicRemote().sendBinary(part, false);
        assertConsumed(part, 6);
        ByteBuffer last = buffer(5);
        session.getBasicRemote().sendBinary(last, true);
        assertConsumed(last, 5);
        assertEquals("binary:7", client.next());

        ByteBuffer future = buffer(9);
        session.getAsyncRemote().sendBinary(future).get(5, TimeUnit.SECONDS);
        assertConsumed(future, 9);
        assertEquals("binary:7", client.next());

        ByteBuffer handled = buffer(12);
        BlockingQueue<SendResult> results = new LinkedBlockingQueue<>();
        session.getAsyncRemote().sendBinary(handled, results::add);
        assertTrue(results.poll(5, TimeUnit.SECONDS).isOK());
        assertConsumed(handled, 12);
        assertEquals("binary:10", client.next());

        ByteBuffer ping = ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8));
        session.getBasicRemote().sendPing(ping);
        assertConsumed(ping, 4);
        assertEquals("pong:ping", client.next());
        ByteBuffer pong = ByteBuffer.wrap("pong".getBytes(StandardCharsets.UTF_8));
        session.getAsyncRemote().sendPong(pong);
        assertConsumed(pong, 4);
        close(client, session);
    }

    @Test
    void aPingOrPongBufferMayBeReusedOnceTheSendReturns() throws Exception {
        // The server reuses one buffer for a burst of pongs, as soon as each sendPong returns; each pong
        // must carry what the buffer held when it was sent, though the socket writes it later.
        RecordingClient client = pongRecordingClient();
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                server.uri("/heartbeat"));
        assertEquals("open", client.next());
        session.getBasicRemote().sendText("beat");
        for (int i = 0; i < HeartbeatServer.BEATS; i++) {
            assertEquals("pong:beat " + i, client.next());
        }
        close(client, session);
    }

    @Test
    void aStreamClosedWithoutAWriteSendsNothing() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client);
        session.getBasicRemote().getSendStream().close();
        session.getBasicRemote().getSendWriter().close();
        session.getBasicRemote().sendText("after");
        assertEquals("text:after", client.next(), "the stream and the writer sent no message");

        // At least one write call, even of nothing: at least one message, even empty.
        try (OutputStream stream = session.getBasicRemote().getSendStream()) {
            stream.write(new byte[0]);
        }
        assertEquals("binary:0", client.next());
        try (Writer writer = session.getBasicRemote().getSendWriter()) {
            writer.write("");
        }
        assertEquals("text:", client.next());
        try (Writer writer = session.getBasicRemote().getSendWriter()) {
            writer.append("appended");
        }
        assertEquals("text:appended", client.next());
        close(client, session);
    }

    @Test
    void nullArgumentsAreIllegal() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client);
        RemoteEndpoint.Basic basic = session.getBasicRemote();
        RemoteEndpoint.Async async = session.getAsyncRemote();
        assertThrows(IllegalArgumentException.class, () -> basic.sendText(null));
        assertThrows(IllegalArgumentException.class, () -> basic.sendText(null, true));
        assertThrows(IllegalArgumentException.class, () -> basic.sendBinary(null));
        assertThrows(IllegalArgumentException.class, () -> basic.sendBinary(null, true));
        assertThrows(IllegalArgumentException.class, () -> basic.sendObject(null));
        assertThrows(IllegalArgumentException.class, () -> async.sendText(null));
        assertThrows(IllegalArgumentException.class, () -> async.sendText("x", null));
        assertThrows(IllegalArgumentException.class, () -> async.sendBinary(null));
        assertThrows(IllegalArgumentException.class, () -> async.sendBinary(ByteBuffer.allocate(1), null));
        assertThrows(IllegalArgumentException.class, () -> async.sendObject(null));
        assertThrows(IllegalArgumentException.class, () -> async.sendObject("x", null));
        // Control frames carry at most 125 bytes.
        assertThrows(IllegalArgumentException.class, () -> basic.sendPing(ByteBuffer.allocate(126)));
        assertThrows(IllegalArgumentException.class, () -> async.sendPong(ByteBuffer.allocate(126)));
        // Nothing of that reached the peer, and the session goes on.
        basic.sendText("fine");
        assertEquals("text:fine", client.next());
        close(client, session);
    }

    @Test
    void batchingIsOffByDefaultAndFlushBatchDeliversEverything() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client);
        assertFalse(session.getBasicRemote().getBatchingAllowed());
        assertFalse(session.getAsyncRemote().getBatchingAllowed());
        session.getAsyncRemote().setBatchingAllowed(true);
        assertTrue(session.getAsyncRemote().getBatchingAllowed());
        session.getAsyncRemote().sendText("one");
        session.getAsyncRemote().sendText("two");
        session.getAsyncRemote().flushBatch();
        assertEquals("text:one", client.next());
        assertEquals("text:two", client.next());
        session.getAsyncRemote().setBatchingAllowed(false);
        close(client, session);
    }

    @Test
    void theAsyncSendTimeoutDefaultsToTheContainers() throws Exception {
        BreakwaterClientContainer other = new BreakwaterClientContainer();
        other.setAsyncSendTimeout(1234);
        RecordingClient client = new RecordingClient();
        Session session = other.connectToServer(client, ClientEndpointConfig.Builder.create().build(), server.uri("/echo"));
        assertEquals("open", client.next());
        assertEquals(1234, session.getAsyncRemote().getSendTimeout());
        session.getAsyncRemote().setSendTimeout(-1);
        assertEquals(-1, session.getAsyncRemote().getSendTimeout());
        session.getAsyncRemote().sendText("no timeout").get(5, TimeUnit.SECONDS);
        assertEquals("text:no timeout", client.next());
        close(client, session);
    }

    // ------------------------------------------------------------------------------------------------

    /** On any text, sends a burst of unsolicited pongs ("beat 0", "beat 1", ...) from one reused buffer. */
    public static class HeartbeatServer extends jakarta.websocket.Endpoint {
        static final int BEATS = 200;

        @Override
        public void onOpen(Session session, jakarta.websocket.EndpointConfig config) {
            session.addMessageHandler(String.class, text -> {
                ByteBuffer buffer = ByteBuffer.allocate(125);
                try {
                    for (int i = 0; i < BEATS; i++) {
                        buffer.clear().put(("beat " + i).getBytes(StandardCharsets.UTF_8)).flip();
                        session.getAsyncRemote().sendPong(buffer);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    /** A buffer of {@code limit} bytes with its position at 2. */
    private static ByteBuffer buffer(int limit) {
        return ByteBuffer.allocate(limit + 3).position(2).limit(limit);
    }

    private static void assertConsumed(ByteBuffer buffer, int limit) {
        assertEquals(limit, buffer.limit(), "the limit is unchanged");
        assertEquals(limit, buffer.position(), "the position is at the limit");
    }

    private static RecordingClient pongRecordingClient() {
        return new RecordingClient((session, self) -> {
            session.addMessageHandler(String.class, text -> self.record("text:" + text));
            session.addMessageHandler(ByteBuffer.class, data -> self.record("binary:" + data.remaining()));
            session.addMessageHandler(PongMessage.class, pong ->
                    self.record("pong:" + StandardCharsets.UTF_8.decode(pong.getApplicationData())));
        });
    }

    private static Session connect(RecordingClient client) throws Exception {
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                server.uri("/echo"));
        assertEquals("open", client.next());
        return session;
    }

    private static void close(RecordingClient client, Session session) throws Exception {
        session.close();
        String event = client.next();
        assertTrue(event.startsWith("close:1000"), event);
    }
}
