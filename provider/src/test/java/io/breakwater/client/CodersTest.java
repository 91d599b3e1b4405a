package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decoders and encoders over the wire, on annotated and programmatic endpoints of both sides: the four
 * kinds of each, {@code willDecode} choosing among decoders of one type, their {@code init} and
 * {@code destroy}, a {@code DecodeException} reaching the error handler and an {@code EncodeException}
 * thrown to the sender.
 */
class CodersTest {

    private static final BreakwaterClientContainer container = new BreakwaterClientContainer();
    private static final List<Class<? extends Decoder>> SHAPE_DECODERS =
            List.of(CircleDecoder.class, SquareDecoder.class, VectorDecoder.class);
    private static final List<Class<? extends Encoder>> SHAPE_ENCODERS = List.of(ShapeEncoder.class, VectorEncoder.class);
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(ShapeServer.class, StreamCodersServer.class, TagServer.class,
                ServerEndpointConfig.Builder.create(ProgrammaticShapeServer.class, "/prog/shapes")
                        .decoders(SHAPE_DECODERS).encoders(SHAPE_ENCODERS).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void textAndBinaryCodersOnAProgrammaticClientAndAnAnnotatedServer() throws Exception {
        exchangeShapes("/ann/shapes");
    }

    @Test
    void textAndBinaryCodersOnAProgrammaticServer() throws Exception {
        exchangeShapes("/prog/shapes");
    }

    private void exchangeShapes(String path) throws Exception {
        RecordingClient client = new RecordingClient((session, self) -> {
            session.addMessageHandler(Shape.class, shape -> self.record("shape:" + shape));
            session.addMessageHandler(Vector.class, vector -> self.record("vector:" + vector));
        });
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create()
                .decoders(SHAPE_DECODERS).encoders(SHAPE_ENCODERS).build(), server.uri(path));
        assertEquals("open", client.next());
        // willDecode picks the decoder: both decode to Shape, each recognises its own form only.
        session.getBasicRemote().sendObject(new Circle(2));
        assertEquals("shape:Circle[radius=4]", client.next());
        session.getBasicRemote().sendObject(new Square(3));
        assertEquals("shape:Square[side=6]", client.next());
        session.getAsyncRemote().sendObject(new Vector(1, 2)).get(5, TimeUnit.SECONDS);
        assertEquals("vector:Vector[x=2, y=1]", client.next());
        session.close();
        assertEquals("close:1000:", client.next());
    }

    @Test
    void annotatedClientWithCoders() throws Exception {
        ShapeClient client = new ShapeClient();
        Session session = container.connectToServer(client, server.uri("/ann/shapes"));
        session.getBasicRemote().sendObject(new Square(5));
        assertEquals("shape:Square[side=10]", client.events.poll(10, TimeUnit.SECONDS));
        session.getBasicRemote().sendObject(new Vector(3, 4));
        assertEquals("vector:Vector[x=4, y=3]", client.events.poll(10, TimeUnit.SECONDS));
        // Text that neither decoder will take: a DecodeException, to the client's @OnError.
        session.getBasicRemote().sendText("bounce:triangle:3");
        assertEquals("error:DecodeException", client.events.poll(10, TimeUnit.SECONDS));
        assertTrue(session.isOpen());
        session.close();
    }

    @Test
    void streamCodersOnBothSides() throws Exception {
        RecordingClient client = new RecordingClient((session, self) -> {
            session.addMessageHandler(Csv.class, csv -> self.record("csv:" + csv));
            session.addMessageHandler(Blob.class, blob -> self.record("blob:" + blob));
        });
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create()
                .decoders(List.of(CsvDecoder.class, BlobDecoder.class))
                .encoders(List.of(CsvEncoder.class, BlobEncoder.class)).build(), server.uri("/ann/streams"));
        assertEquals("open", client.next());
        session.getBasicRemote().sendObject(new Csv(List.of("a", "b", "c")));
        assertEquals("csv:Csv[cells=[c, b, a]]", client.next());
        session.getBasicRemote().sendObject(new Blob(1000, (byte) 7));
        assertEquals("blob:Blob[size=2000, fill=7]", client.next());
        session.close();
        assertEquals("close:1000:", client.next());
    }

    @Test
    void aDecodeExceptionReachesTheAnnotatedServersOnError() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                server.uri("/ann/shapes"));
        assertEquals("open", client.next());
        session.getBasicRemote().sendText("triangle:3"); // no decoder will decode it
        assertEquals("text:error:DecodeException:triangle:3", client.next());
        session.getBasicRemote().sendText("circle:x"); // the circle decoder will, and fails
        assertEquals("text:error:DecodeException:circle:x", client.next());
        session.getBasicRemote().sendBinary(ByteBuffer.allocate(3)); // no binary decoder will
        assertEquals("text:error:DecodeException:binary", client.next());
        session.getBasicRemote().sendText("square:1"); // the session goes on
        assertEquals("text:square:2", client.next());
        session.close();
    }

    @Test
    void aDecodeExceptionReachesTheProgrammaticClientsOnError() throws Exception {
        RecordingClient client = new RecordingClient((session, self) ->
                session.addMessageHandler(Shape.class, shape -> self.record("shape:" + shape)));
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create()
                .decoders(SHAPE_DECODERS).build(), server.uri("/prog/shapes"));
        assertEquals("open", client.next());
        session.getBasicRemote().sendText("bounce:hexagon");
        String error = client.next();
        assertTrue(error.startsWith("error:DecodeException:"), error);
        session.getBasicRemote().sendText("circle:1");
        assertEquals("shape:Circle[radius=2]", client.next());
        session.close();
    }

    @Test
    void anEncodeExceptionIsThrownToTheSender() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create()
                .encoders(List.of(FailingEncoder.class)).build(), server.uri("/ann/shapes"));
        assertEquals("open", client.next());
        EncodeException basic = assertThrows(EncodeException.class,
                () -> session.getBasicRemote().sendObject(new Unencodable()));
        assertEquals("cannot encode this on purpose", basic.getMessage());
        // No encoder for the type at all.
        assertThrows(EncodeException.class, () -> session.getBasicRemote().sendObject(new Object()));
        ExecutionException future = assertThrows(ExecutionException.class,
                () -> session.getAsyncRemote().sendObject(new Unencodable()).get(5, TimeUnit.SECONDS));
        assertInstanceOf(EncodeException.class, future.getCause());
        BlockingQueue<Throwable> results = new LinkedBlockingQueue<>();
        session.getAsyncRemote().sendObject(new Unencodable(), result -> results.add(
                result.isOK() ? new AssertionError("encoded") : result.getException()));
        assertInstanceOf(EncodeException.class, results.poll(5, TimeUnit.SECONDS));
        // Nothing was sent, and the session goes on.
        session.getBasicRemote().sendText("square:4");
        assertEquals("text:square:8", client.next());
        session.close();
    }

    @Test
    void codersAreInitialisedOnOpenAndDestroyedOnClose() throws Exception {
        CountingCoder.events.clear();
        RecordingClient client = new RecordingClient((session, self) ->
                session.addMessageHandler(Tag.class, tag -> self.record("tag:" + tag.name())));
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create()
                .decoders(List.of(TagDecoder.class)).encoders(List.of(TagEncoder.class)).build(),
                server.uri("/ann/tags"));
        assertEquals("open", client.next());
        // By the time onOpen runs, each side has one decoder and one encoder, initialised once, none destroyed.
        assertEquals(List.of("client:decoder:init", "client:encoder:init", "server:decoder:init", "server:encoder:init"),
                CountingCoder.sorted());
        session.getBasicRemote().sendObject(new Tag("blue"));
        assertEquals("tag:blue!", client.next());
        assertEquals(4, CountingCoder.events.size(), "used, not made again: " + CountingCoder.events);
        session.close();
        assertEquals("close:1000:", client.next());
        // Each destroyed once, after its endpoint's onClose.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (CountingCoder.events.size() < 8 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of("client:decoder:destroy", "client:decoder:init", "client:encoder:destroy",
                "client:encoder:init", "server:decoder:destroy", "server:decoder:init", "server:encoder:destroy",
                "server:encoder:init"), CountingCoder.sorted());
    }

    @Test
    void eachSessionHasCodersOfItsOwn() throws Exception {
        CountingCoder.events.clear();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .decoders(List.of(TagDecoder.class)).encoders(List.of(TagEncoder.class)).build();
        RecordingClient first = new RecordingClient((session, self) -> session.addMessageHandler(Tag.class, tag -> { }));
        RecordingClient second = new RecordingClient((session, self) -> session.addMessageHandler(Tag.class, tag -> { }));
        Session one = container.connectToServer(first, config, server.uri("/ann/tags"));
        Session two = container.connectToServer(second, config, server.uri("/ann/tags"));
        assertEquals("open", first.next());
        assertEquals("open", second.next());
        assertEquals(8, CountingCoder.events.size(), "two sessions, two of each on each side: " + CountingCoder.events);
        one.close();
        two.close();
    }

    // ------------------------------------------------------------------------------------------------

    interface Shape {
        Shape grown();
    }

    record Circle(int radius) implements Shape {
        @Override
        public Shape grown() {
            return new Circle(radius * 2);
        }
    }

    record Square(int side) implements Shape {
        @Override
        public Shape grown() {
            return new Square(side * 2);
        }
    }

    record Vector(int x, int y) {
    }

    record Csv(List<String> cells) {
    }

    record Blob(int size, byte fill) {
    }

    record Tag(String name) {
    }

    static final class Unencodable {
    }

    /** Decodes "circle:r"; will not decode anything else. */
    public static final class CircleDecoder implements Decoder.Text<Shape> {
        @Override
        public Shape decode(String text) throws DecodeException {
            try {
                return new Circle(Integer.parseInt(text.substring("circle:".length())));
            } catch (NumberFormatException e) {
                throw new DecodeException(text, "not a circle", e);
            }
        }

        @Override
        public boolean willDecode(String text) {
            return text.startsWith("circle:");
        }
    }

    /** Decodes "square:s"; will not decode anything else. */
    public static final class SquareDecoder implements Decoder.Text<Shape> {
        @Override
        public Shape decode(String text) throws DecodeException {
            try {
                return new Square(Integer.parseInt(text.substring("square:".length())));
            } catch (NumberFormatException e) {
                throw new DecodeException(text, "not a square", e);
            }
        }

        @Override
        public boolean willDecode(String text) {
            return text.startsWith("square:");
        }
    }

    public static final class ShapeEncoder implements Encoder.Text<Shape> {
        @Override
        public String encode(Shape shape) {
            return shape instanceof Circle circle ? "circle:" + circle.radius() : "square:" + ((Square) shape).side();
        }
    }

    /** Two ints, eight bytes. */
    public static final class VectorDecoder implements Decoder.Binary<Vector> {
        @Override
        public Vector decode(ByteBuffer bytes) {
            return new Vector(bytes.getInt(), bytes.getInt());
        }

        @Override
        public boolean willDecode(ByteBuffer bytes) {
            return bytes.remaining() == 8;
        }
    }

    public static final class VectorEncoder implements Encoder.Binary<Vector> {
        @Override
        public ByteBuffer encode(Vector vector) {
            return ByteBuffer.allocate(8).putInt(vector.x()).putInt(vector.y()).flip();
        }
    }

    public static final class CsvDecoder implements Decoder.TextStream<Csv> {
        @Override
        public Csv decode(Reader reader) throws IOException {
            return new Csv(List.of(MessageTypesTest.readAll(reader).split(",")));
        }
    }

    public static final class CsvEncoder implements Encoder.TextStream<Csv> {
        @Override
        public void encode(Csv csv, Writer writer) throws IOException {
            writer.write(String.join(",", csv.cells()));
        }
    }

    public static final class BlobDecoder implements Decoder.BinaryStream<Blob> {
        @Override
        public Blob decode(InputStream stream) throws DecodeException, IOException {
            byte[] bytes = stream.readAllBytes();
            for (byte b : bytes) {
                if (b != bytes[0]) {
                    throw new DecodeException(ByteBuffer.wrap(bytes), "not a blob of one byte value");
                }
            }
            return new Blob(bytes.length, bytes.length == 0 ? 0 : bytes[0]);
        }
    }

    public static final class BlobEncoder implements Encoder.BinaryStream<Blob> {
        @Override
        public void encode(Blob blob, OutputStream stream) throws IOException {
            byte[] bytes = new byte[blob.size()];
            java.util.Arrays.fill(bytes, blob.fill());
            stream.write(bytes);
        }
    }

    public static final class FailingEncoder implements Encoder.Text<Unencodable> {
        @Override
        public String encode(Unencodable object) throws EncodeException {
            throw new EncodeException(object, "cannot encode this on purpose");
        }
    }

    /** Records its side, kind and lifecycle calls in {@link #events}. */
    abstract static class CountingCoder {
        static final List<String> events = Collections.synchronizedList(new ArrayList<>());
        private String side;

        void init(EndpointConfig config, String kind) {
            side = config instanceof ServerEndpointConfig ? "server" : "client";
            events.add(side + ":" + kind + ":init");
        }

        void destroy(String kind) {
            events.add(side + ":" + kind + ":destroy");
        }

        static List<String> sorted() {
            synchronized (events) {
                return events.stream().sorted().toList();
            }
        }
    }

    public static final class TagDecoder extends CountingCoder implements Decoder.Text<Tag> {
        @Override
        public void init(EndpointConfig config) {
            init(config, "decoder");
        }

        @Override
        public void destroy() {
            destroy("decoder");
        }

        @Override
        public Tag decode(String text) {
            return new Tag(text.substring(4));
        }

        @Override
        public boolean willDecode(String text) {
            return text.startsWith("tag:");
        }
    }

    public static final class TagEncoder extends CountingCoder implements Encoder.Text<Tag> {
        @Override
        public void init(EndpointConfig config) {
            init(config, "encoder");
        }

        @Override
        public void destroy() {
            destroy("encoder");
        }

        @Override
        public String encode(Tag tag) {
            return "tag:" + tag.name();
        }
    }

    /**
     * Grows shapes and flips vectors, returning them for its encoders; reports errors as text. "bounce:x"
     * sends x back as text.
     */
    @ServerEndpoint(value = "/ann/shapes", decoders = {CircleDecoder.class, SquareDecoder.class, VectorDecoder.class},
            encoders = {ShapeEncoder.class, VectorEncoder.class})
    public static class ShapeServer {
        @OnMessage
        public Shape grow(Shape shape) {
            return shape.grown();
        }

        @OnMessage
        public Vector flip(Vector vector) {
            return new Vector(vector.y(), vector.x());
        }

        @OnError
        public void error(Session session, Throwable error) throws IOException {
            if (error instanceof DecodeException decode) {
                String what = decode.getText() != null ? decode.getText() : "binary";
                if (what.startsWith("bounce:")) {
                    session.getBasicRemote().sendText(what.substring("bounce:".length()));
                    return;
                }
                session.getBasicRemote().sendText("error:DecodeException:" + what);
            } else {
                session.getBasicRemote().sendText("error:" + error);
            }
        }
    }

    /** The same as {@link ShapeServer}, as a programmatic endpoint. */
    public static class ProgrammaticShapeServer extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(Shape.class, shape -> send(session, shape.grown()));
            session.addMessageHandler(Vector.class, vector -> send(session, new Vector(vector.y(), vector.x())));
        }

        @Override
        public void onError(Session session, Throwable error) {
            if (error instanceof DecodeException decode && decode.getText() != null
                    && decode.getText().startsWith("bounce:")) {
                try {
                    session.getBasicRemote().sendText(decode.getText().substring("bounce:".length()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        private static void send(Session session, Object object) {
            try {
                session.getBasicRemote().sendObject(object);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (EncodeException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @ServerEndpoint(value = "/ann/streams", decoders = {CsvDecoder.class, BlobDecoder.class},
            encoders = {CsvEncoder.class, BlobEncoder.class})
    public static class StreamCodersServer {
        @OnMessage
        public Csv reverse(Csv csv) {
            List<String> cells = new ArrayList<>(csv.cells());
            Collections.reverse(cells);
            return new Csv(cells);
        }

        @OnMessage
        public Blob grow(Blob blob) {
            return new Blob(blob.size() * 2, blob.fill());
        }
    }

    @ServerEndpoint(value = "/ann/tags", decoders = TagDecoder.class, encoders = TagEncoder.class)
    public static class TagServer {
        @OnMessage
        public Tag exclaim(Tag tag) {
            return new Tag(tag.name() + "!");
        }
    }

    @ClientEndpoint(decoders = {CircleDecoder.class, SquareDecoder.class, VectorDecoder.class},
            encoders = {ShapeEncoder.class, VectorEncoder.class})
    public static class ShapeClient {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @OnMessage
        public void shape(Shape shape) {
            events.add("shape:" + shape);
        }

        @OnMessage
        public void vector(Vector vector) {
            events.add("vector:" + vector);
        }

        @OnError
        public void error(Throwable error) {
            events.add("error:" + error.getClass().getSimpleName());
        }
    }
}
