package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code @OnMessage} methods return, for messages that arrive together in one read, on Jetty
 * (where the replies of one read go out in one write): every reply arrives, in order, with what the
 * application sends itself in between, also past the outgoing queue limit.
 */
class ReturnedMessagesTest {

    /** Answers every message; one that starts with "direct" is also answered by a blocking send first. */
    @ServerEndpoint("/replies")
    public static class RepliesEndpoint {
        @OnMessage
        public String message(String text, Session session) throws IOException {
            if (text.startsWith("direct")) {
                session.getBasicRemote().sendText("sent:" + text);
            }
            return "re:" + text;
        }
    }

    /** Answers with 700 bytes, more than half of a 1 KiB outgoing queue limit. */
    @ServerEndpoint("/large")
    public static class LargeRepliesEndpoint {
        @OnMessage
        public byte[] message(String text) {
            byte[] reply = new byte[700];
            byte[] name = RawWebSocket.utf8(text);
            System.arraycopy(name, 0, reply, 0, name.length);
            return reply;
        }
    }

    private Server server;

    private int start(String maxQueuedBytes) throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        if (maxQueuedBytes != null) {
            context.setInitParameter(BreakwaterServletContainerInitializer.MAX_QUEUED_BYTES_PARAMETER, maxQueuedBytes);
        }
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(),
                RepliesEndpoint.class, LargeRepliesEndpoint.class);
        server = EmbeddedJetty.server(new QueuedThreadPool());
        return EmbeddedJetty.start(server, context);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void everyMessageOfOneWriteIsAnsweredInOrder() throws Exception {
        int port = start(null);
        List<String> messages = numbered("m", 300);
        try (RawWebSocket ws = RawWebSocket.open(port, "/app/replies")) {
            ws.sendRaw(textFrames(messages));
            for (String message : messages) {
                assertEquals("re:" + message, ws.readMessage());
            }
        }
    }

    @Test
    void aMessageTheApplicationSendsItselfKeepsItsPlaceAmongTheReplies() throws Exception {
        int port = start(null);
        try (RawWebSocket ws = RawWebSocket.open(port, "/app/replies")) {
            ws.sendRaw(textFrames(List.of("a", "direct-b", "c", "direct-d")));
            for (String expected : List.of("re:a", "sent:direct-b", "re:direct-b", "re:c", "sent:direct-d",
                    "re:direct-d")) {
                assertEquals(expected, ws.readMessage());
            }
        }
    }

    @Test
    void repliesPastTheOutgoingQueueLimitStillAllArriveInOrder() throws Exception {
        int port = start("1024");
        List<String> messages = numbered("large", 40);
        try (RawWebSocket ws = RawWebSocket.open(port, "/app/large")) {
            ws.sendRaw(textFrames(messages));
            for (String message : messages) {
                RawWebSocket.Frame reply = ws.read();
                assertEquals(RawWebSocket.BINARY, reply.opcode());
                assertEquals(700, reply.payload().length);
                assertEquals(message, RawWebSocket.utf8(reply.payload()).substring(0, message.length()));
            }
        }
    }

    private static List<String> numbered(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    /** Masked text frames, back to back, to go out in one write (a zero masking key leaves the payload as it is). */
    private static byte[] textFrames(List<String> messages) {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (String message : messages) {
            byte[] payload = RawWebSocket.utf8(message);
            frames.writeBytes(RawWebSocket.header(true, 0, RawWebSocket.TEXT, payload.length));
            frames.writeBytes(new byte[4]);
            frames.writeBytes(payload);
        }
        return frames.toByteArray();
    }
}
