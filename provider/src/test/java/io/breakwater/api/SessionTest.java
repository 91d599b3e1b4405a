package io.breakwater.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.testing.OpenSessions;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Session and RemoteEndpoint rules, between two sessions joined in memory. */
class SessionTest {

    @Test
    void echoesWholeTextAndBinaryMessages() throws Exception {
        RecordingEndpoint server = new RecordingEndpoint(session -> {
            session.addMessageHandler(String.class, text -> send(session, "echo " + text));
            session.addMessageHandler(ByteBuffer.class, data -> {
                try {
                    session.getBasicRemote().sendBinary(data);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
        });
        RecordingEndpoint client = new RecordingEndpoint(session -> {
            session.addMessageHandler(String.class, text -> record(session, "text:" + text));
            session.addMessageHandler(byte[].class, data -> record(session, "bytes:" + data.length));
        });
        try (SessionPair pair = new SessionPair(client, server)) {
            assertEquals("open", client.next());
            pair.client.getBasicRemote().sendText("héllo ✓");
            assertEquals("text:echo héllo ✓", client.next());
            pair.client.getBasicRemote().sendBinary(ByteBuffer.allocate(30_000));
            assertEquals("bytes:30000", client.next());
        }
    }

    @Test
    void oneHandlerPerNativeMessageType() throws Exception {
        RecordingEndpoint server = new RecordingEndpoint(session -> { });
        try (SessionPair pair = new SessionPair(new RecordingEndpoint(session -> { }), server)) {
            assertEquals("open", server.next());
            Session session = pair.server;
            session.addMessageHandler(String.class, text -> { });
            assertThrows(IllegalStateException.class, () -> session.addMessageHandler(Integer.class, number -> { }),
                    "Integer arrives as text, and text already has a handler");
            assertThrows(IllegalStateException.class,
                    () -> session.addMessageHandler(Reader.class, (MessageHandler.Whole<Reader>) reader -> { }));
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) -> { });
            assertThrows(IllegalStateException.class,
                    () -> session.addMessageHandler(byte[].class, (MessageHandler.Whole<byte[]>) bytes -> { }));
            assertThrows(IllegalStateException.class,
                    () -> session.addMessageHandler(Integer.class, (MessageHandler.Partial<Integer>) (part, last) -> { }),
                    "parts come only as String, ByteBuffer or byte[]");
            assertThrows(IllegalStateException.class, () -> session.addMessageHandler(Thread.class, thread -> { }),
                    "no decoder makes a Thread");
            // The type of an anonymous class is read from its declaration.
            session.removeMessageHandler(session.getMessageHandlers().iterator().next());
            session.addMessageHandler(new MessageHandler.Whole<Long>() {
                @Override
                public void onMessage(Long number) {
                }
            });
            assertEquals(2, session.getMessageHandlers().size());
        }
    }

    @Test
    void textIsConvertedToPrimitivesAndBadTextIsADecodeError() throws Exception {
        RecordingEndpoint server = new RecordingEndpoint(session ->
                session.addMessageHandler(Integer.class, number -> record(session, "int:" + (number + 1))));
        try (SessionPair pair = new SessionPair(new RecordingEndpoint(session -> { }), server)) {
            assertEquals("open", server.next());
            pair.client.getBasicRemote().sendText("41");
            assertEquals("int:42", server.next());
            pair.client.getBasicRemote().sendText("forty-one");
            assertEquals("error:DecodeException", server.next());
            assertTrue(pair.server.isOpen(), "a decode error does not close the session");
        }
    }

    @Test
    void partsArriveInOrderAndNeverSplitACodePoint() throws Exception {
        StringBuilder assembled = new StringBuilder();
        RecordingEndpoint server = new RecordingEndpoint(session ->
                session.addMessageHandler(String.class, (MessageHandler.Partial<String>) (part, last) -> {
                    assembled.append(part);
                    if (last) {
                        record(session, "message:" + assembled);
                    }
                }));
        try (SessionPair pair = new SessionPair(new RecordingEndpoint(session -> { }), server)) {
            assertEquals("open", server.next());
            String text = "a€😀b".repeat(1000);
            // A writer sends parts of 8 K chars; surrogate pairs and 3-byte sequences cross part boundaries.
            try (Writer writer = pair.client.getBasicRemote().getSendWriter()) {
                for (int i = 0; i < text.length(); i += 7) {
                    writer.write(text, i, Math.min(7, text.length() - i));
                }
            }
            assertEquals("message:" + text, server.next());
        }
    }

    @Test
    void sendStreamMakesOneBinaryMessage() throws Exception {
        RecordingEndpoint server = new RecordingEndpoint(session ->
                session.addMessageHandler(byte[].class, bytes -> record(session, "bytes:" + bytes.length + ":" + bytes[bytes.length - 1])));
        try (SessionPair pair = new SessionPair(new RecordingEndpoint(session -> { }), server)) {
            assertEquals("open", server.next());
            try (OutputStream stream = pair.client.getBasicRemote().getSendStream()) {
                for (int i = 0; i < 20_000; i++) {
                    stream.write(i % 100);
                }
            }
            assertEquals("bytes:20000:99", server.next());
        }
    }

    @Test
    void decodersAndEncodersCarryApplicationTypes() throws Exception {
        RecordingEndpoint server = new RecordingEndpoint(session ->
                session.addMessageHandler(Point.class, point -> {
                    try {
                        session.getBasicRemote().sendObject(new Point(point.x() * 2, point.y() * 2));
                    } catch (IOException | EncodeException e) {
                        throw new RuntimeException(e);
                    }
                }));
        RecordingEndpoint client = new RecordingEndpoint(session ->
                session.addMessageHandler(Point.class, point -> record(session, "point:" + point)));
        try (SessionPair pair = new SessionPair(client, server, List.of(PointDecoder.class), List.of(PointEncoder.class))) {
            assertEquals("open", client.next());
            pair.client.getAsyncRemote().sendObject(new Point(1, 2)).get(5, TimeUnit.SECONDS);
            assertEquals("point:Point[x=2, y=4]", client.next());
            pair.client.getBasicRemote().sendText("not a point");
            assertEquals("error:DecodeException", server.nextAfterOpen());
        }
    }

    @Test
    void closeReachesBothEndpointsWithTheReason() throws Exception {
        RecordingEndpoint server = new RecordingEndpoint(session -> { });
        RecordingEndpoint client = new RecordingEndpoint(session -> { });
        try (SessionPair pair = new SessionPair(client, server)) {
            assertEquals("open", client.next());
            assertEquals("open", server.next());
            // Taken before the close: once onClose has returned, the Session's methods throw
            // IllegalStateException (Session javadoc: "Calling any of its methods ... once the session has
            // been closed will result in an IllegalStateException"); a send through it still fails.
            jakarta.websocket.RemoteEndpoint.Basic remote = pair.client.getBasicRemote();
            pair.client.close(new jakarta.websocket.CloseReason(jakarta.websocket.CloseReason.CloseCodes.NORMAL_CLOSURE, "bye"));
            assertEquals("close:1000:bye", client.next());
            assertEquals("close:1000:bye", server.next());
            // Open until onClose has returned, so that waiting for isOpen() to turn false waits for onClose.
            assertTrue(OpenSessions.closedWithinTenSeconds(pair.client));
            assertThrows(IOException.class, () -> remote.sendText("late"));
            assertTrue(pair.serverGroup.openSessions().isEmpty());
        }
    }

    @Test
    void aWholeMessageOverTheBufferSizeClosesWith1009() throws Exception {
        RecordingEndpoint server = new RecordingEndpoint(session -> {
            session.setMaxTextMessageBufferSize(10);
            session.addMessageHandler(String.class, text -> record(session, "text:" + text));
        });
        RecordingEndpoint client = new RecordingEndpoint(session -> { });
        try (SessionPair pair = new SessionPair(client, server)) {
            assertEquals("open", server.next());
            pair.client.getBasicRemote().sendText("0123456789");
            assertEquals("text:0123456789", server.next());
            pair.client.getBasicRemote().sendText("0123456789A");
            assertEquals("close:1009:message exceeds the maximum message size", client.nextAfterOpen());
        }
    }

    @Test
    void inItsOwnOnCloseASessionIsStillOpenButNoLongerAmongTheOpenSessions() throws Exception {
        // So that onClose can read the session, and a broadcast from onClose skips the departing one.
        java.util.concurrent.BlockingQueue<String> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        RecordingEndpoint server = new RecordingEndpoint(session -> { }) {
            @Override
            public void onClose(jakarta.websocket.Session session, jakarta.websocket.CloseReason reason) {
                seen.add("open=" + session.isOpen() + " listed=" + session.getOpenSessions().contains(session));
                super.onClose(session, reason);
            }
        };
        RecordingEndpoint client = new RecordingEndpoint(session -> { });
        try (SessionPair pair = new SessionPair(client, server)) {
            assertEquals("open", server.next());
            assertTrue(pair.server.getOpenSessions().contains(pair.server));
            pair.client.close();
            assertEquals("open=true listed=false", seen.poll(10, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(OpenSessions.closedWithinTenSeconds(pair.server));
        }
    }

    @Test
    void aWholeBinaryMessageIsAnArrayOfExactlyItsLength() throws Exception {
        // Decoders and handlers read ByteBuffer.array() whole; a view of a larger buffer would show them junk.
        RecordingEndpoint server = new RecordingEndpoint(session -> session.addMessageHandler(ByteBuffer.class,
                data -> RecordingEndpoint.of(session).record(
                        data.array().length + ":" + data.arrayOffset() + ":" + data.position() + ":" + data.remaining())));
        RecordingEndpoint client = new RecordingEndpoint(session -> { });
        try (SessionPair pair = new SessionPair(client, server)) {
            assertEquals("open", server.next());
            pair.client.getBasicRemote().sendBinary(ByteBuffer.allocate(3));
            assertEquals("3:0:0:3", server.next());
            pair.client.getBasicRemote().sendBinary(ByteBuffer.allocate(100), false);
            pair.client.getBasicRemote().sendBinary(ByteBuffer.allocate(150), true);
            assertEquals("250:0:0:250", server.next());
        }
    }

    @Test
    void aWholeMessageOfManyFragmentsArrivesAsSent() throws Exception {
        // Fragments of 1 to 1000 times the 5 chars, then of 1 byte to 100 KB: each message is collected in
        // dozens of chunks, with code points split between fragments and between chunks.
        String text = "a€😀b".repeat(300_000); // 2.7 MB of UTF-8
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        RecordingEndpoint server = new RecordingEndpoint(session -> {
            session.setMaxTextMessageBufferSize(bytes.length);
            session.setMaxBinaryMessageBufferSize(bytes.length);
            session.addMessageHandler(String.class, received -> record(session, "text same:" + received.equals(text)));
            session.addMessageHandler(ByteBuffer.class, data -> record(session, "binary same:"
                    + (data.array().length == bytes.length && Arrays.equals(data.array(), bytes))));
        });
        try (SessionPair pair = new SessionPair(new RecordingEndpoint(session -> { }), server)) {
            assertEquals("open", server.next());
            int fragment = 1; // in repeats of the 5 chars, so that no fragment ends inside a surrogate pair
            for (int at = 0; at < text.length(); at += 5 * fragment, fragment = fragment * 3 % 1001) {
                int end = Math.min(text.length(), at + 5 * fragment);
                pair.client.getBasicRemote().sendText(text.substring(at, end), end == text.length());
            }
            assertEquals("text same:true", server.next());
            fragment = 1;
            for (int at = 0; at < bytes.length; at += fragment, fragment = fragment * 7 % 99_991) {
                int end = Math.min(bytes.length, at + fragment);
                pair.client.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes, at, end - at), end == bytes.length);
            }
            assertEquals("binary same:true", server.next());
        }
    }

    @Test
    void aMessageWithNoHandlerIsDroppedAndTheSessionGoesOn() throws Exception {
        RecordingEndpoint server = new RecordingEndpoint(session -> { });
        RecordingEndpoint client = new RecordingEndpoint(session ->
                session.addMessageHandler(String.class, text -> RecordingEndpoint.of(session).record("text:" + text)));
        try (SessionPair pair = new SessionPair(client, server)) {
            assertEquals("open", server.next());
            assertEquals("open", client.next());
            pair.server.getBasicRemote().sendBinary(ByteBuffer.allocate(3)); // the client has no binary handler
            pair.server.getBasicRemote().sendText("after");
            assertEquals("text:after", client.next());
            assertTrue(pair.client.isOpen());
            assertTrue(pair.server.isOpen());
        }
    }

    @Test
    void anIdleSessionIsClosedWith1001() throws Exception {
        RecordingEndpoint server = new RecordingEndpoint(session -> session.setMaxIdleTimeout(200));
        RecordingEndpoint client = new RecordingEndpoint(session -> { });
        try (SessionPair pair = new SessionPair(client, server)) {
            String event = client.nextAfterOpen();
            assertTrue(event.startsWith("close:1001:idle timeout"), event);
        }
    }

    @Test
    void messagesOfOneSessionAreDeliveredInOrderOneAtATime() throws Exception {
        int threads = 4;
        int perThread = 10_000;
        Map<Integer, Integer> nextExpected = new HashMap<>();
        List<String> problems = new ArrayList<>();
        int[] concurrent = {0};
        RecordingEndpoint server = new RecordingEndpoint(session ->
                session.addMessageHandler(String.class, text -> {
                    synchronized (concurrent) {
                        if (++concurrent[0] > 1) {
                            problems.add("two deliveries at once");
                        }
                    }
                    String[] fields = text.split(":");
                    int sender = Integer.parseInt(fields[0]);
                    int sequence = Integer.parseInt(fields[1]);
                    int expected = nextExpected.getOrDefault(sender, 0);
                    if (sequence != expected) {
                        problems.add("sender " + sender + ": got " + sequence + ", expected " + expected);
                    }
                    nextExpected.put(sender, sequence + 1);
                    synchronized (concurrent) {
                        concurrent[0]--;
                    }
                    if (sequence == perThread - 1) {
                        record(session, "done:" + sender);
                    }
                }));
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        try (SessionPair pair = new SessionPair(new RecordingEndpoint(session -> { }), server)) {
            assertEquals("open", server.next());
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int sender = t;
                running.add(senders.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        if (i % 2 == 0) {
                            pair.client.getBasicRemote().sendText(sender + ":" + i);
                        } else {
                            pair.client.getAsyncRemote().sendText(sender + ":" + i).get();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> sender : running) {
                sender.get(60, TimeUnit.SECONDS);
            }
            for (int t = 0; t < threads; t++) {
                assertTrue(server.next().startsWith("done:"));
            }
            assertEquals(List.of(), problems);
        } finally {
            senders.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------------

    private static void send(Session session, String text) {
        try {
            session.getBasicRemote().sendText(text);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /** Records into the endpoint that owns the session: tests reach it through the session's user properties. */
    private static void record(Session session, String event) {
        RecordingEndpoint.of(session).record(event);
    }

    record Point(int x, int y) {
    }

    public static final class PointDecoder implements Decoder.Text<Point> {
        @Override
        public Point decode(String text) throws DecodeException {
            String[] parts = text.split(",");
            return new Point(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }

        @Override
        public boolean willDecode(String text) {
            return text.matches("-?\\d+,-?\\d+");
        }
    }

    public static final class PointEncoder implements Encoder.Text<Point> {
        @Override
        public String encode(Point point) {
            return point.x() + "," + point.y();
        }
    }
}
