package io.breakwater.api.annotated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.api.annotated.AnnotatedEndpointModel.Kind;
import io.breakwater.api.annotated.TestDecoders.BlobDecoder;
import io.breakwater.api.annotated.TestDecoders.Circle;
import io.breakwater.api.annotated.TestDecoders.CircleBinaryDecoder;
import io.breakwater.api.annotated.TestDecoders.DocumentDecoder;
import io.breakwater.api.annotated.TestDecoders.PointDecoder;
import io.breakwater.api.annotated.TestDecoders.UploadBinaryDecoder;
import io.breakwater.api.annotated.TestDecoders.UploadTextDecoder;
import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Decoder;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every allowed @OnMessage form (OnMessage API documentation) and how the model classifies it. */
class ModelFormsTest {

    @ServerEndpoint("/x")
    public static class TextString {
        @OnMessage(maxMessageSize = 100)
        public void m(String message, Session session) {
        }
    }

    @ServerEndpoint("/x")
    public static class TextPartial {
        @OnMessage(maxMessageSize = 100)
        public void m(boolean last, Session session, String part) {
        }
    }

    @ServerEndpoint("/x")
    public static class TextReader {
        @OnMessage(maxMessageSize = 100)
        public void m(Reader reader) {
        }
    }

    @ServerEndpoint("/x")
    public static class TextInt {
        @OnMessage(maxMessageSize = 100)
        public void m(int value) {
        }
    }

    @ServerEndpoint("/x")
    public static class TextBoolean {
        @OnMessage
        public void m(Session session, boolean value) {
        }
    }

    @ServerEndpoint("/x")
    public static class TextCharacter {
        @OnMessage
        public void m(Character value) {
        }
    }

    @ServerEndpoint("/x")
    public static class TextDouble {
        @OnMessage
        public void m(double value) {
        }
    }

    @ServerEndpoint("/x")
    public static class TextDecoded {
        @OnMessage(maxMessageSize = 100)
        public void m(TestDecoders.Point point) {
        }
    }

    @ServerEndpoint("/x")
    public static class TextStreamDecoded {
        @OnMessage
        public void m(TestDecoders.Document document) {
        }
    }

    @ServerEndpoint("/x")
    public static class BinaryByteBuffer {
        @OnMessage(maxMessageSize = 200)
        public void m(ByteBuffer message) {
        }
    }

    @ServerEndpoint("/x")
    public static class BinaryBytes {
        @OnMessage(maxMessageSize = 200)
        public void m(byte[] message) {
        }
    }

    @ServerEndpoint("/x")
    public static class BinaryByteBufferPartial {
        @OnMessage(maxMessageSize = 200)
        public void m(ByteBuffer part, boolean last) {
        }
    }

    @ServerEndpoint("/x")
    public static class BinaryBytesPartial {
        @OnMessage
        public void m(byte[] part, boolean last) {
        }
    }

    @ServerEndpoint("/x")
    public static class BinaryInputStream {
        @OnMessage(maxMessageSize = 200)
        public void m(InputStream stream) {
        }
    }

    @ServerEndpoint("/x")
    public static class BinaryDecoded {
        @OnMessage(maxMessageSize = 200)
        public void m(TestDecoders.Shape shape) { // the decoder yields Circle, a Shape
        }
    }

    @ServerEndpoint("/x")
    public static class BinaryStreamDecoded {
        @OnMessage
        public void m(TestDecoders.Blob blob) {
        }
    }

    @ServerEndpoint("/x")
    public static class Pong {
        @OnMessage(maxMessageSize = 10)
        public void m(PongMessage pong) {
        }
    }

    static Stream<Arguments> forms() {
        return Stream.of(
                Arguments.of(TextString.class, MessageKind.TEXT, String.class, false, false, 100L),
                Arguments.of(TextPartial.class, MessageKind.TEXT, String.class, true, false, -1L),
                Arguments.of(TextReader.class, MessageKind.TEXT, Reader.class, false, false, -1L),
                Arguments.of(TextInt.class, MessageKind.TEXT, Integer.class, false, false, 100L),
                Arguments.of(TextBoolean.class, MessageKind.TEXT, Boolean.class, false, false, -1L),
                Arguments.of(TextCharacter.class, MessageKind.TEXT, Character.class, false, false, -1L),
                Arguments.of(TextDouble.class, MessageKind.TEXT, Double.class, false, false, -1L),
                Arguments.of(TextDecoded.class, MessageKind.TEXT, TestDecoders.Point.class, false, true, 100L),
                Arguments.of(TextStreamDecoded.class, MessageKind.TEXT, TestDecoders.Document.class, false, true, -1L),
                Arguments.of(BinaryByteBuffer.class, MessageKind.BINARY, ByteBuffer.class, false, false, 200L),
                Arguments.of(BinaryBytes.class, MessageKind.BINARY, byte[].class, false, false, 200L),
                Arguments.of(BinaryByteBufferPartial.class, MessageKind.BINARY, ByteBuffer.class, true, false, -1L),
                Arguments.of(BinaryBytesPartial.class, MessageKind.BINARY, byte[].class, true, false, -1L),
                Arguments.of(BinaryInputStream.class, MessageKind.BINARY, InputStream.class, false, false, -1L),
                Arguments.of(BinaryDecoded.class, MessageKind.BINARY, TestDecoders.Shape.class, false, true, 200L),
                Arguments.of(BinaryStreamDecoded.class, MessageKind.BINARY, TestDecoders.Blob.class, false, true, -1L),
                Arguments.of(Pong.class, MessageKind.PONG, PongMessage.class, false, false, -1L));
    }

    private static final List<Class<? extends Decoder>> DECODERS =
            List.of(PointDecoder.class, DocumentDecoder.class, CircleBinaryDecoder.class, BlobDecoder.class);

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void classifiesEachAllowedForm(Class<?> endpoint, MessageKind kind, Class<?> registered, boolean partial,
            boolean decoded, long maxMessageSize) throws DeploymentException {
        AnnotatedEndpointModel model = AnnotatedEndpointModel.of(endpoint, DECODERS);
        assertEquals(1, model.messageMethods().size());
        MessageMethod method = model.messageMethod(kind).orElseThrow();
        assertEquals("m", method.method().getName());
        assertSame(registered, method.registeredType());
        assertEquals(partial, method.partial());
        assertEquals(decoded, method.decoded());
        // OnMessage#maxMessageSize applies to whole messages only, not parts, streams or pongs.
        assertEquals(maxMessageSize, method.maxMessageSize());
    }

    @ClientEndpoint
    public static class OnePerKind {
        @OnOpen
        public void open(EndpointConfig config, Session session) {
        }

        @OnClose
        public void close(CloseReason reason) {
        }

        @OnError
        public void error(Throwable t, Session session) {
        }

        @OnMessage
        public String text(String message) {
            return message;
        }

        @OnMessage
        public ByteBuffer binary(ByteBuffer message) {
            return message;
        }

        @OnMessage
        public void pong(PongMessage pong) {
        }
    }

    @Test
    void oneMethodPerNativeTypeAndAllLifecycleMethods() throws DeploymentException {
        AnnotatedEndpointModel model = AnnotatedEndpointModel.of(OnePerKind.class, List.of());
        assertEquals(Kind.CLIENT, model.kind());
        assertEquals("open", model.onOpen().orElseThrow().method().getName());
        assertEquals("close", model.onClose().orElseThrow().method().getName());
        assertEquals("error", model.onError().orElseThrow().method().getName());
        assertEquals("text", model.messageMethod(MessageKind.TEXT).orElseThrow().method().getName());
        assertEquals("binary", model.messageMethod(MessageKind.BINARY).orElseThrow().method().getName());
        assertEquals("pong", model.messageMethod(MessageKind.PONG).orElseThrow().method().getName());
        assertEquals(3, model.messageMethods().size());
    }

    @ServerEndpoint("/x")
    public static class Empty {
    }

    @Test
    void anEndpointWithoutMethodsIsValid() throws DeploymentException {
        AnnotatedEndpointModel model = AnnotatedEndpointModel.of(Empty.class, List.of());
        assertEquals(Kind.SERVER, model.kind());
        assertTrue(model.onOpen().isEmpty());
        assertTrue(model.onClose().isEmpty());
        assertTrue(model.onError().isEmpty());
        assertTrue(model.messageMethods().isEmpty());
    }

    @ServerEndpoint("/x/{a}/{b}/{c}")
    public static class PathParamsEverywhere {
        @OnOpen
        public void open(@PathParam("a") String a, @PathParam("b") int b) {
        }

        @OnClose
        public void close(@PathParam("c") Long c, CloseReason reason) {
        }

        @OnError
        public void error(@PathParam("a") char a, Throwable t) {
        }

        @OnMessage
        public void text(@PathParam("b") boolean b, String message, @PathParam("c") Double c) {
        }
    }

    @Test
    void pathParamsOfStringPrimitivesAndBoxesOnEveryAnnotation() throws DeploymentException {
        AnnotatedEndpointModel model = AnnotatedEndpointModel.of(PathParamsEverywhere.class, List.of());
        MessageMethod text = model.messageMethod(MessageKind.TEXT).orElseThrow();
        assertSame(String.class, text.registeredType()); // a @PathParam boolean is not the 'last' flag
        assertFalse(text.partial());
    }

    @ServerEndpoint(value = "/x", decoders = PointDecoder.class)
    public static class DecodersFromAnnotation {
        @OnMessage
        public void point(TestDecoders.Point point) {
        }
    }

    @Test
    void decodersCanComeFromTheAnnotation() throws DeploymentException {
        AnnotatedEndpointModel model = AnnotatedEndpointModel.of(DecodersFromAnnotation.class);
        assertEquals(List.of(PointDecoder.class), model.decoders());
        assertTrue(model.messageMethod(MessageKind.TEXT).orElseThrow().decoded());
    }

    @ServerEndpoint("/x")
    @ClientEndpoint
    public static class Both {
    }

    @Test
    void aClassWithBothAnnotationsIsAServerUnlessAskedOtherwise() throws DeploymentException {
        assertEquals(Kind.SERVER, AnnotatedEndpointModel.of(Both.class, List.of()).kind());
        assertEquals(Kind.CLIENT, AnnotatedEndpointModel.of(Both.class, Kind.CLIENT, List.of()).kind());
    }

    @ClientEndpoint
    static class PackagePrivateClient {
        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

    @Test
    void clientEndpointClassNeedNotBePublic() throws DeploymentException {
        // §4.2: clients may be connected as instances; only the methods must be public.
        AnnotatedEndpointModel model = AnnotatedEndpointModel.of(PackagePrivateClient.class, List.of());
        FakeSession session = new FakeSession();
        model.newEndpoint(new PackagePrivateClient()).onOpen(session, null);
        session.deliver(String.class, "hi");
        assertEquals(List.of(new FakeSession.Sent("sendText", "hi")), session.sent);
    }

    @ServerEndpoint("/x")
    public static class Upload {
        @OnMessage
        public void upload(TestDecoders.Upload upload) {
        }
    }

    @Test
    void aTypeWithTextAndBinaryDecodersIsReadFromText() throws DeploymentException {
        assertEquals(MessageKind.TEXT, AnnotatedEndpointModel.of(Upload.class,
                List.of(UploadTextDecoder.class, UploadBinaryDecoder.class)).messageMethods().get(0).kind());
        assertEquals(MessageKind.TEXT, AnnotatedEndpointModel.of(Upload.class,
                List.of(UploadBinaryDecoder.class, UploadTextDecoder.class)).messageMethods().get(0).kind());
        assertEquals(MessageKind.BINARY, AnnotatedEndpointModel.of(Upload.class,
                List.of(UploadBinaryDecoder.class)).messageMethods().get(0).kind());
    }

    @Test
    void decoderTypesResolveThroughGenericSuperclasses() {
        assertSame(TestDecoders.Point.class, DecoderTypes.decodedType(PointDecoder.class, Decoder.Text.class));
        assertSame(Circle.class, DecoderTypes.decodedType(CircleBinaryDecoder.class, Decoder.Binary.class));
        assertSame(TestDecoders.Blob.class, DecoderTypes.decodedType(BlobDecoder.class, Decoder.BinaryStream.class));
        List<DecoderTypes.Entry> entries = DecoderTypes.of(List.of(DocumentDecoder.class));
        assertEquals(1, entries.size());
        assertEquals(MessageKind.TEXT, entries.get(0).kind());
        assertSame(TestDecoders.Document.class, entries.get(0).decodedType());
    }

    @SuppressWarnings("rawtypes")
    public static final class RawDecoder implements Decoder.Text {
        @Override
        public Object decode(String s) {
            return s;
        }

        @Override
        public boolean willDecode(String s) {
            return true;
        }
    }

    /** An intermediate generic interface that passes its variable on. */
    interface ListDecoder<E> extends Decoder.Binary<List<E>> {
    }

    public static final class StringListDecoder implements ListDecoder<String> {
        @Override
        public List<String> decode(ByteBuffer bytes) {
            return List.of();
        }

        @Override
        public boolean willDecode(ByteBuffer bytes) {
            return true;
        }
    }

    @Test
    void rawAndNestedGenericDecoderTypes() {
        assertSame(Object.class, DecoderTypes.decodedType(RawDecoder.class, Decoder.Text.class));
        assertSame(List.class, DecoderTypes.decodedType(StringListDecoder.class, Decoder.Binary.class));
    }
}
