package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native message types over the wire, received by programmatic and annotated endpoints on both
 * sides: whole and partial text and binary, {@code Reader}, {@code InputStream}, {@code byte[]},
 * primitives and boxes, pongs, and the values {@code @OnMessage} methods return.
 */
class MessageTypesTest {

    private static final BreakwaterClientContainer container = new BreakwaterClientContainer();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(ServerEndpointConfig.Builder.create(EchoEndpoint.class, "/echo").build(),
                IntServer.class, BooleanServer.class, ReaderServer.class, StreamServer.class, PartsServer.class,
                PongServer.class, AskingServer.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ------------------------------------------------------------------- programmatic client endpoints

    @Test
    void wholeTextAndBinary() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, "/echo");
        session.getBasicRemote().sendText("héllo wörld ✓ 😀");
        assertEquals("text:héllo wörld ✓ 😀", client.next());
        session.getAsyncRemote().sendText("async").get(5, TimeUnit.SECONDS);
        assertEquals("text:async", client.next());
        session.getBasicRemote().sendBinary(ByteBuffer.allocate(50_000));
        assertEquals("binary:50000", client.next());
        session.getAsyncRemote().sendBinary(ByteBuffer.wrap(new byte[] {1, 2})).get(5, TimeUnit.SECONDS);
        assertEquals("binary:2", client.next());
        close(client, session);
    }

    @Test
    void partsSentByTheClientMakeOneMessage() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, "/echo");
        session.getBasicRemote().sendText("one ", false);
        session.getBasicRemote().sendText("two 😀", false);
        session.getBasicRemote().sendText(" three", true);
        assertEquals("text:one two 😀 three", client.next());
        session.getBasicRemote().sendBinary(ByteBuffer.allocate(10), false);
        session.getBasicRemote().sendBinary(ByteBuffer.allocate(20), true);
        assertEquals("binary:30", client.next());
        // Streams and writers send in parts as well.
        try (OutputStream stream = session.getBasicRemote().getSendStream()) {
            stream.write(new byte[20_000]);
        }
        assertEquals("binary:20000", client.next());
        try (Writer writer = session.getBasicRemote().getSendWriter()) {
            writer.write("x".repeat(20_000));
        }
        assertEquals("text:" + "x".repeat(20_000), client.next());
        close(client, session);
    }

    @Test
    void partialHandlersTakeTextAndBinaryInParts() throws Exception {
        StringBuilder text = new StringBuilder();
        long[] bytes = {0};
        int[] calls = {0};
        RecordingClient client = new RecordingClient((session, self) -> {
            session.addMessageHandler(String.class, (MessageHandler.Partial<String>) (part, last) -> {
                text.append(part);
                calls[0]++;
                if (last) {
                    self.record("text:" + text);
                    text.setLength(0);
                }
            });
            session.addMessageHandler(byte[].class, (MessageHandler.Partial<byte[]>) (part, last) -> {
                bytes[0] += part.length;
                calls[0]++;
                if (last) {
                    self.record("binary:" + bytes[0]);
                    bytes[0] = 0;
                }
            });
        });
        Session session = connect(client, "/echo");
        // The server sends in parts; a partial handler takes them as they come (a frame is never merged
        // with the next, though the network may split one).
        session.getBasicRemote().sendText("parts:alpha,beta,gamma");
        assertEquals("text:alphabetagamma", client.next());
        assertTrue(calls[0] >= 3, calls[0] + " calls");
        calls[0] = 0;
        session.getBasicRemote().sendText("binparts:100,200,300");
        assertEquals("binary:600", client.next());
        assertTrue(calls[0] >= 3, calls[0] + " calls");
        // A whole message larger than the buffer size arrives in parts, with no limit.
        String big = "b".repeat(200_000);
        session.getBasicRemote().sendText(big);
        assertEquals("text:" + big, client.next());
        close(client, session);
    }

    @Test
    void aWholeHandlerTakesTheServersPartsAsOneMessage() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, "/echo");
        session.getBasicRemote().sendText("parts:alpha,beta,gamma");
        assertEquals("text:alphabetagamma", client.next());
        session.getBasicRemote().sendText("binparts:100,200,300");
        assertEquals("binary:600", client.next());
        close(client, session);
    }

    @Test
    void partialByteBuffersKeepTheirContent() throws Exception {
        ByteBuffer collected = ByteBuffer.allocate(1 << 20);
        RecordingClient client = new RecordingClient((session, self) -> {
            session.addMessageHandler(String.class, text -> self.record("text:" + text));
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) -> {
                collected.put(part);
                if (last) {
                    byte[] whole = Arrays.copyOf(collected.array(), collected.position());
                    collected.clear();
                    self.record("binary:" + Arrays.hashCode(whole) + ":" + whole.length);
                }
            });
        });
        Session session = connect(client, "/echo");
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        session.getBasicRemote().sendBinary(ByteBuffer.wrap(data));
        assertEquals("binary:" + Arrays.hashCode(data) + ":" + data.length, client.next());
        close(client, session);
    }

    @Test
    void readerInputStreamAndByteArrayHandlers() throws Exception {
        RecordingClient readers = new RecordingClient((session, self) -> {
            session.addMessageHandler(Reader.class, reader -> self.record("reader:" + readAll(reader)));
            session.addMessageHandler(InputStream.class, stream -> self.record("stream:" + readAll(stream).length));
        });
        Session session = connect(readers, "/echo");
        session.getBasicRemote().sendText("read me");
        assertEquals("reader:read me", readers.next());
        session.getBasicRemote().sendBinary(ByteBuffer.allocate(12_345));
        assertEquals("stream:12345", readers.next());
        close(readers, session);

        RecordingClient arrays = new RecordingClient((s, self) ->
                s.addMessageHandler(byte[].class, bytes -> self.record("bytes:" + Arrays.toString(bytes))));
        Session second = connect(arrays, "/echo");
        second.getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[] {7, 8, 9}));
        assertEquals("bytes:[7, 8, 9]", arrays.next());
        close(arrays, second);
    }

    @Test
    void primitivesAndBoxes() throws Exception {
        RecordingClient ints = new RecordingClient((session, self) ->
                session.addMessageHandler(Integer.class, number -> self.record("int:" + (number + 1))));
        Session session = connect(ints, "/echo");
        session.getBasicRemote().sendObject(41); // a box is sent as its text
        assertEquals("int:42", ints.next());
        session.getBasicRemote().sendText("-7");
        assertEquals("int:-6", ints.next());
        close(ints, session);

        RecordingClient doubles = new RecordingClient((s, self) ->
                s.addMessageHandler(Double.class, number -> self.record("double:" + number * 2)));
        Session second = connect(doubles, "/echo");
        second.getAsyncRemote().sendObject(1.25).get(5, TimeUnit.SECONDS);
        assertEquals("double:2.5", doubles.next());
        close(doubles, second);

        RecordingClient chars = new RecordingClient((s, self) ->
                s.addMessageHandler(Character.class, c -> self.record("char:" + Character.toUpperCase(c))));
        Session third = connect(chars, "/echo");
        third.getBasicRemote().sendText("q");
        assertEquals("char:Q", chars.next());
        close(chars, third);
    }

    @Test
    void aPongHandlerGetsTheAnswerToAPing() throws Exception {
        RecordingClient client = new RecordingClient((session, self) -> {
            session.addMessageHandler(String.class, text -> self.record("text:" + text));
            session.addMessageHandler(PongMessage.class, pong -> self.record("pong:" + utf8(pong.getApplicationData())));
        });
        Session session = connect(client, "/echo");
        session.getBasicRemote().sendPing(ByteBuffer.wrap("are you there?".getBytes(StandardCharsets.UTF_8)));
        assertEquals("pong:are you there?", client.next());
        session.getAsyncRemote().sendPing(ByteBuffer.wrap(new byte[] {'x'}));
        assertEquals("pong:x", client.next());
        close(client, session);
    }

    // --------------------------------------------------------------------- annotated server endpoints

    @Test
    void annotatedServerTakesAnIntAndReturnsOne() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, "/ann/int");
        session.getBasicRemote().sendText("41");
        assertEquals("text:42", client.next());
        session.getBasicRemote().sendText("forty-one");
        assertEquals("text:error:DecodeException", client.next());
        session.getBasicRemote().sendText("1"); // a decode error does not end the session
        assertEquals("text:2", client.next());
        close(client, session);
    }

    @Test
    void annotatedServerTakesABooleanAndReturnsOne() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, "/ann/boolean");
        session.getBasicRemote().sendText("true");
        assertEquals("text:false", client.next());
        close(client, session);
    }

    @Test
    void annotatedServerTakesAReaderAndAnInputStream() throws Exception {
        RecordingClient client = new RecordingClient((session, self) -> {
            session.addMessageHandler(String.class, text -> self.record("text:" + text));
            session.addMessageHandler(byte[].class, bytes -> self.record("bytes:" + Arrays.toString(bytes)));
        });
        Session session = connect(client, "/ann/reader");
        session.getBasicRemote().sendText("shout");
        assertEquals("text:SHOUT", client.next()); // a String returned
        close(client, session);

        RecordingClient second = new RecordingClient((s, self) ->
                s.addMessageHandler(byte[].class, bytes -> self.record("bytes:" + Arrays.toString(bytes))));
        Session streams = connect(second, "/ann/stream");
        streams.getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertEquals("bytes:[3, 2, 1]", second.next()); // a byte[] returned
        close(second, streams);
    }

    @Test
    void annotatedServerTakesTextAndBinaryInParts() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, "/ann/parts");
        session.getBasicRemote().sendText("to", false);
        session.getBasicRemote().sendText("get", false);
        session.getBasicRemote().sendText("her", true);
        assertEquals("text:text-parts:together", client.next());
        session.getBasicRemote().sendBinary(ByteBuffer.allocate(5), false);
        session.getBasicRemote().sendBinary(ByteBuffer.allocate(7), true);
        assertEquals("text:binary-parts:12", client.next());
        close(client, session);
    }

    @Test
    void annotatedServerTakesPongs() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, "/ann/pong");
        // An unsolicited pong (RFC 6455 §5.5.3) reaches the endpoint's pong method; what it returns comes back.
        session.getBasicRemote().sendPong(ByteBuffer.wrap("heartbeat".getBytes(StandardCharsets.UTF_8)));
        assertEquals("text:pong:heartbeat", client.next());
        close(client, session);
    }

    // --------------------------------------------------------------------- annotated client endpoints

    @Test
    void annotatedClientTakesNativeTypesAndPongs() throws Exception {
        AnnotatedTypesClient client = new AnnotatedTypesClient();
        Session session = container.connectToServer(client, server.uri("/echo"));
        assertEquals("open", client.next());
        session.getBasicRemote().sendText("12");
        assertEquals("long:13", client.next());
        session.getBasicRemote().sendBinary(ByteBuffer.allocate(4_000));
        assertEquals("stream:4000", client.next());
        session.getBasicRemote().sendPing(ByteBuffer.wrap(new byte[] {'p'}));
        assertEquals("pong:p", client.next());
        session.getBasicRemote().sendText("nope");
        assertEquals("error:DecodeException", client.next());
        session.close();
    }

    @Test
    void annotatedClientTakesParts() throws Exception {
        AnnotatedPartsClient client = new AnnotatedPartsClient();
        Session session = container.connectToServer(client, server.uri("/echo"));
        session.getBasicRemote().sendText("parts:x,y,z");
        assertEquals("text:xyz", client.events.poll(10, TimeUnit.SECONDS));
        session.getBasicRemote().sendText("binparts:1,2,3");
        assertEquals("binary:6", client.events.poll(10, TimeUnit.SECONDS));
        session.close();
    }

    @Test
    void whatAnAnnotatedClientReturnsIsSentToTheServer() throws Exception {
        AnsweringClient client = new AnsweringClient();
        Session session = container.connectToServer(client, server.uri("/ann/ask"));
        // The server asks in onOpen; the client's @OnMessage returns its answer; the server reports what it got.
        assertEquals("question", client.events.poll(10, TimeUnit.SECONDS));
        assertEquals("got:answer to question", client.events.poll(10, TimeUnit.SECONDS));
        session.close();
    }

    // ------------------------------------------------------------------------------------------------

    private static Session connect(RecordingClient client, String path) throws Exception {
        URI uri = server.uri(path);
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(), uri);
        assertEquals("open", client.next());
        return session;
    }

    private static void close(RecordingClient client, Session session) throws Exception {
        session.close();
        String event = client.next();
        assertTrue(event.startsWith("close:1000"), event);
    }

    static String utf8(ByteBuffer data) {
        return StandardCharsets.UTF_8.decode(data.duplicate()).toString();
    }

    static String readAll(Reader reader) {
        try {
            StringWriter out = new StringWriter();
            reader.transferTo(out);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] readAll(InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Echoes whole text and binary messages; "parts:a,b,c" answers a text message sent in those parts,
     * "binparts:1,2,3" a binary message in parts of those sizes.
     */
    public static class EchoEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxTextMessageBufferSize(1 << 20);
            session.setMaxBinaryMessageBufferSize(1 << 20);
            session.addMessageHandler(String.class, text -> {
                try {
                    if (text.startsWith("parts:")) {
                        String[] parts = text.substring(6).split(",");
                        for (int i = 0; i < parts.length; i++) {
                            session.getBasicRemote().sendText(parts[i], i == parts.length - 1);
                        }
                    } else if (text.startsWith("binparts:")) {
                        String[] sizes = text.substring(9).split(",");
                        for (int i = 0; i < sizes.length; i++) {
                            session.getBasicRemote().sendBinary(ByteBuffer.allocate(Integer.parseInt(sizes[i])),
                                    i == sizes.length - 1);
                        }
                    } else {
                        session.getBasicRemote().sendText(text);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) data -> {
                try {
                    session.getBasicRemote().sendBinary(data);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @ServerEndpoint("/ann/int")
    public static class IntServer {
        @OnMessage
        public int next(int number) {
            return number + 1;
        }

        @OnError
        public void error(Session session, Throwable error) throws IOException {
            session.getBasicRemote().sendText("error:" + error.getClass().getSimpleName());
        }
    }

    @ServerEndpoint("/ann/boolean")
    public static class BooleanServer {
        @OnMessage
        public Boolean not(Boolean value) {
            return !value;
        }
    }

    @ServerEndpoint("/ann/reader")
    public static class ReaderServer {
        @OnMessage
        public String upper(Reader reader) {
            return readAll(reader).toUpperCase();
        }
    }

    @ServerEndpoint("/ann/stream")
    public static class StreamServer {
        @OnMessage
        public byte[] reverse(InputStream stream) {
            byte[] bytes = readAll(stream);
            byte[] reversed = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                reversed[i] = bytes[bytes.length - 1 - i];
            }
            return reversed;
        }
    }

    @ServerEndpoint("/ann/parts")
    public static class PartsServer {
        private final StringBuilder text = new StringBuilder();
        private int bytes;

        @OnMessage
        public String text(String part, boolean last) {
            text.append(part);
            return last ? "text-parts:" + text : null; // null: nothing to send yet
        }

        @OnMessage
        public String binary(ByteBuffer part, boolean last) {
            bytes += part.remaining();
            return last ? "binary-parts:" + bytes : null;
        }
    }

    @ServerEndpoint("/ann/pong")
    public static class PongServer {
        @OnMessage
        public String pong(PongMessage pong) {
            return "pong:" + utf8(pong.getApplicationData());
        }
    }

    @ServerEndpoint("/ann/ask")
    public static class AskingServer {
        @OnOpen
        public void ask(Session session) throws IOException {
            session.getBasicRemote().sendText("question");
        }

        @OnMessage
        public String answer(String answer) {
            return "got:" + answer;
        }
    }

    @ClientEndpoint
    public static class AnnotatedTypesClient {
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @OnOpen
        public void open() {
            events.add("open");
        }

        @OnMessage
        public void number(long number) {
            events.add("long:" + (number + 1));
        }

        @OnMessage
        public void stream(InputStream stream) {
            events.add("stream:" + readAll(stream).length);
        }

        @OnMessage
        public void pong(PongMessage pong) {
            events.add("pong:" + utf8(pong.getApplicationData()));
        }

        @OnError
        public void error(Throwable error) {
            events.add("error:" + error.getClass().getSimpleName());
        }

        String next() throws InterruptedException {
            String event = events.poll(10, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no event within 10 s");
            }
            return event;
        }
    }

    @ClientEndpoint
    public static class AnnotatedPartsClient {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private int bytes;

        @OnMessage
        public void text(String part, boolean last) {
            text.append(part);
            if (last) {
                events.add("text:" + text);
                text.setLength(0);
            }
        }

        @OnMessage
        public void binary(byte[] part, boolean last) {
            bytes += part.length;
            if (last) {
                events.add("binary:" + bytes);
                bytes = 0;
            }
        }
    }

    @ClientEndpoint
    public static class AnsweringClient {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @OnMessage
        public String message(String text) {
            events.add(text);
            return text.startsWith("got:") ? null : "answer to " + text;
        }
    }
}
