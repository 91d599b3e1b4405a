package io.breakwater.api.annotated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.api.annotated.FakeSession.Registration;
import io.breakwater.api.annotated.FakeSession.Sent;
import io.breakwater.api.annotated.TestDecoders.PointDecoder;
import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-connection adapter, driven through a fake Session: arguments, registrations, return values, errors. */
class AnnotatedEndpointTest {

    private static final EndpointConfig CONFIG = ClientEndpointConfig.Builder.create().build();
    private static final CloseReason NORMAL = new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye");

    private static <T> AnnotatedEndpoint open(Class<T> type, T instance, FakeSession session)
            throws DeploymentException {
        AnnotatedEndpoint endpoint = AnnotatedEndpointModel.of(type, List.of(PointDecoder.class))
                .newEndpoint(instance);
        endpoint.onOpen(session, CONFIG);
        return endpoint;
    }

    /** Records every callback with its arguments. */
    @ServerEndpoint("/chat/{room}/{user}")
    public static class Chat {
        final List<Object> calls = new ArrayList<>();

        @OnOpen
        public void open(EndpointConfig config, @PathParam("room") String room, Session session) {
            calls.add("open");
            calls.add(config);
            calls.add(room);
            calls.add(session);
        }

        @OnMessage(maxMessageSize = 1000)
        public String text(@PathParam("user") int user, String message, Session session) {
            calls.add(user);
            calls.add(message);
            calls.add(session);
            return "echo " + message;
        }

        @OnMessage(maxMessageSize = 2000)
        public byte[] binary(byte[] message) {
            calls.add(message);
            return message;
        }

        @OnMessage
        public void pong(PongMessage pong, Session session) {
            calls.add(pong);
        }

        @OnClose
        public void close(CloseReason reason, @PathParam("room") String room, Session session) {
            calls.add("close");
            calls.add(reason);
            calls.add(room);
            calls.add(session);
        }

        @OnError
        public void error(Session session, Throwable t) {
            calls.add("error");
            calls.add(t);
        }
    }

    @Test
    void onOpenSetsBufferSizesRegistersHandlersAndCallsOnOpen() throws DeploymentException {
        FakeSession session = new FakeSession();
        session.pathParameters.put("room", "lobby");
        session.pathParameters.put("user", "7");
        Chat chat = new Chat();
        open(Chat.class, chat, session);

        assertEquals(1000, session.maxTextMessageBufferSize);
        assertEquals(2000, session.maxBinaryMessageBufferSize);
        assertEquals(3, session.registrations.size());
        assertFalse(session.registration(String.class).partial());
        assertFalse(session.registration(byte[].class).partial());
        assertFalse(session.registration(PongMessage.class).partial());
        assertEquals(List.of("open", CONFIG, "lobby", session), chat.calls);
    }

    @Test
    void textMessageGetsPathParamMessageAndSessionAndTheReturnValueIsSent() throws DeploymentException {
        FakeSession session = new FakeSession();
        session.pathParameters.put("user", "7");
        Chat chat = new Chat();
        open(Chat.class, chat, session);
        chat.calls.clear();

        session.deliver(String.class, "hello");

        assertEquals(List.of(7, "hello", session), chat.calls);
        assertEquals(List.of(new Sent("sendText", "echo hello")), session.sent);
    }

    @Test
    void binaryReturnValueIsSentAsBinary() throws DeploymentException {
        FakeSession session = new FakeSession();
        Chat chat = new Chat();
        open(Chat.class, chat, session);
        byte[] payload = {1, 2, 3};

        session.deliver(byte[].class, payload);

        assertEquals(1, session.sent.size());
        assertEquals("sendBinary", session.sent.get(0).method());
        ByteBuffer sent = (ByteBuffer) session.sent.get(0).payload();
        byte[] copy = new byte[sent.remaining()];
        sent.get(copy);
        assertArrayEquals(payload, copy);
    }

    @Test
    void pongIsDelivered() throws DeploymentException {
        FakeSession session = new FakeSession();
        Chat chat = new Chat();
        open(Chat.class, chat, session);
        chat.calls.clear();
        PongMessage pong = () -> ByteBuffer.allocate(0);

        session.deliver(PongMessage.class, pong);

        assertEquals(List.of(pong), chat.calls);
        assertTrue(session.sent.isEmpty()); // void
    }

    @Test
    void onCloseGetsReasonPathParamAndSession() throws DeploymentException {
        FakeSession session = new FakeSession();
        session.pathParameters.put("room", "lobby");
        Chat chat = new Chat();
        AnnotatedEndpoint endpoint = open(Chat.class, chat, session);
        chat.calls.clear();

        endpoint.onClose(session, NORMAL);

        assertEquals(List.of("close", NORMAL, "lobby", session), chat.calls);
    }

    @Test
    void unconvertiblePathParamGoesToOnErrorAndTheMethodIsNotCalled() throws DeploymentException {
        FakeSession session = new FakeSession();
        session.pathParameters.put("user", "seven");
        Chat chat = new Chat();
        open(Chat.class, chat, session);
        chat.calls.clear();

        session.deliver(String.class, "hello");

        assertEquals(2, chat.calls.size());
        assertEquals("error", chat.calls.get(0));
        DecodeException e = assertInstanceOf(DecodeException.class, chat.calls.get(1));
        assertEquals("seven", e.getText());
        assertTrue(session.sent.isEmpty());
    }

    @Test
    void missingPrimitivePathParamGoesToOnError() throws DeploymentException {
        FakeSession session = new FakeSession(); // no "user" in the path
        Chat chat = new Chat();
        open(Chat.class, chat, session);
        chat.calls.clear();

        session.deliver(String.class, "hello");

        assertEquals("error", chat.calls.get(0));
        assertInstanceOf(DecodeException.class, chat.calls.get(1));
    }

    @ServerEndpoint("/p/{s}/{i}/{b}/{c}/{d}")
    public static class PathParams {
        final List<Object> values = new ArrayList<>();

        @OnMessage
        public void text(String message, @PathParam("s") String s, @PathParam("i") Integer i,
                @PathParam("b") boolean b, @PathParam("c") char c, @PathParam("d") double d,
                @PathParam("absent") String absent, @PathParam("absentFlag") Boolean absentFlag) {
            values.addAll(Arrays.asList(s, i, b, c, d, absent, absentFlag));
        }
    }

    @Test
    void pathParamsAreConvertedToTheirTypesAndAnAbsentStringIsNullAndAnAbsentBooleanFalse() throws DeploymentException {
        FakeSession session = new FakeSession();
        session.pathParameters.put("s", "word");
        session.pathParameters.put("i", "-12");
        session.pathParameters.put("b", "true");
        session.pathParameters.put("c", "z");
        session.pathParameters.put("d", "0.25");
        PathParams endpoint = new PathParams();
        open(PathParams.class, endpoint, session);

        session.deliver(String.class, "m");

        assertEquals(Arrays.asList("word", -12, true, 'z', 0.25d, null, false), endpoint.values);
    }

    @ClientEndpoint
    public static class Partials {
        final List<Object> parts = new ArrayList<>();

        @OnMessage(maxMessageSize = 5)
        public void text(String part, boolean last) {
            parts.add(part);
            parts.add(last);
        }

        @OnMessage
        public String binary(boolean last, ByteBuffer part) {
            parts.add(part.remaining());
            parts.add(last);
            return last ? "done" : null; // null: nothing sent
        }
    }

    @Test
    void partialHandlersPassTheLastFlag() throws DeploymentException {
        FakeSession session = new FakeSession();
        Partials partials = new Partials();
        open(Partials.class, partials, session);

        Registration text = session.registration(String.class);
        assertTrue(text.partial());
        assertTrue(session.registration(ByteBuffer.class).partial());
        assertEquals(8192, session.maxTextMessageBufferSize); // maxMessageSize does not apply to parts

        session.deliverPart(String.class, "ab", false);
        session.deliverPart(String.class, "cd", true);
        session.deliverPart(ByteBuffer.class, ByteBuffer.allocate(3), false);
        session.deliverPart(ByteBuffer.class, ByteBuffer.allocate(1), true);

        assertEquals(List.of("ab", false, "cd", true, 3, false, 1, true), partials.parts);
        assertEquals(List.of(new Sent("sendText", "done")), session.sent);
    }

    @ServerEndpoint("/x")
    public static class Primitives {
        final List<Object> received = new ArrayList<>();

        @OnMessage
        public int text(int value) {
            received.add(value);
            return value * 2;
        }

        @OnMessage
        public Boolean binary(ByteBuffer message) {
            return Boolean.TRUE;
        }
    }

    @Test
    void primitivesAreRegisteredAsBoxesAndReturnedThroughSendObject() throws DeploymentException {
        FakeSession session = new FakeSession();
        Primitives endpoint = new Primitives();
        open(Primitives.class, endpoint, session);

        Registration registration = session.registration(Integer.class);
        assertFalse(registration.partial());
        session.deliver(Integer.class, 21);
        session.deliver(ByteBuffer.class, ByteBuffer.allocate(0));

        assertEquals(List.of(21), endpoint.received);
        // OnMessage: the primitive's text unless a developer encoder exists; sendObject's contract does both.
        assertEquals(List.of(new Sent("sendObject", 42), new Sent("sendObject", true)), session.sent);
    }

    @ServerEndpoint("/x")
    public static class Streams {
        final List<Object> received = new ArrayList<>();

        @OnMessage
        public void text(Reader reader) {
            received.add(reader);
        }

        @OnMessage
        public void binary(InputStream stream) {
            received.add(stream);
        }
    }

    @Test
    void streamsAreRegisteredWhole() throws DeploymentException {
        FakeSession session = new FakeSession();
        Streams endpoint = new Streams();
        open(Streams.class, endpoint, session);
        Reader reader = new StringReader("x");
        InputStream stream = new ByteArrayInputStream(new byte[1]);

        session.deliver(Reader.class, reader);
        session.deliver(InputStream.class, stream);

        assertFalse(session.registration(Reader.class).partial());
        assertFalse(session.registration(InputStream.class).partial());
        assertEquals(List.of(reader, stream), endpoint.received);
    }

    @ServerEndpoint("/x")
    public static class Decoded {
        @OnMessage
        public Object point(TestDecoders.Point point) {
            return point; // anything else goes through sendObject and the encoders
        }
    }

    @Test
    void decodedTypesAreRegisteredWithTheParameterClass() throws DeploymentException {
        FakeSession session = new FakeSession();
        open(Decoded.class, new Decoded(), session);
        TestDecoders.Point point = new TestDecoders.Point(1, 2);

        session.deliver(TestDecoders.Point.class, point);

        assertEquals(List.of(new Sent("sendObject", point)), session.sent);
    }

    /** Throws from every callback except @OnError, which records. */
    @ServerEndpoint("/x")
    public static class Throwing {
        final List<Throwable> errors = new ArrayList<>();

        @OnOpen
        public void open() throws IOException {
            throw new IOException("open failed");
        }

        @OnMessage
        public void text(String message) {
            throw new IllegalStateException("message failed");
        }

        @OnMessage
        public String binary(ByteBuffer message) {
            return "reply";
        }

        @OnClose
        public void close() {
            throw new UnsupportedOperationException("close failed");
        }

        @OnError
        public void error(Throwable t) {
            errors.add(t);
        }
    }

    @Test
    void applicationExceptionsGoToOnErrorUnwrapped() throws DeploymentException {
        FakeSession session = new FakeSession();
        Throwing endpoint = new Throwing();
        AnnotatedEndpoint adapter = open(Throwing.class, endpoint, session);
        session.deliver(String.class, "x");
        adapter.onClose(session, NORMAL); // §4.5 WSC-4.5-3

        assertEquals(2, session.registrations.size()); // registered before @OnOpen failed
        assertEquals(List.of("open failed", "message failed", "close failed"),
                endpoint.errors.stream().map(Throwable::getMessage).toList());
        assertInstanceOf(IOException.class, endpoint.errors.get(0));
        assertInstanceOf(IllegalStateException.class, endpoint.errors.get(1));
        assertInstanceOf(UnsupportedOperationException.class, endpoint.errors.get(2));
    }

    @Test
    void aFailedSendOfTheReturnValueGoesToOnError() throws DeploymentException {
        FakeSession session = new FakeSession();
        Throwing endpoint = new Throwing();
        open(Throwing.class, endpoint, session);
        endpoint.errors.clear();
        IOException failure = new IOException("closed");
        session.sendFailure = failure;

        session.deliver(ByteBuffer.class, ByteBuffer.allocate(0));

        assertEquals(List.of(failure), endpoint.errors);
    }

    @Test
    void onErrorPassesTheThrowableAsIs() throws DeploymentException {
        FakeSession session = new FakeSession();
        Throwing endpoint = new Throwing();
        AnnotatedEndpoint adapter = open(Throwing.class, endpoint, session);
        endpoint.errors.clear();
        DecodeException decode = new DecodeException("bad", "cannot decode");

        adapter.onError(session, decode);

        assertEquals(1, endpoint.errors.size());
        assertSame(decode, endpoint.errors.get(0));
    }

    @ServerEndpoint("/x")
    public static class NoOnError {
        int calls;

        @OnMessage
        public void text(String message) {
            calls++;
            throw new IllegalStateException("nobody listens");
        }
    }

    @Test
    void withoutOnErrorErrorsAreLoggedAndDeliveryContinues() throws DeploymentException {
        FakeSession session = new FakeSession();
        NoOnError endpoint = new NoOnError();
        AnnotatedEndpoint adapter = open(NoOnError.class, endpoint, session);

        session.deliver(String.class, "a"); // must not throw (§5.2.2 WSC-5.2.2-3: logged)
        session.deliver(String.class, "b");
        adapter.onError(session, new RuntimeException("direct"));

        assertEquals(2, endpoint.calls);
    }

    @ServerEndpoint("/x")
    public static class FailingOnError {
        int errors;

        @OnError
        public void error(Throwable t) {
            errors++;
            throw new IllegalStateException("error handler failed");
        }
    }

    @Test
    void anOnErrorThatThrowsIsLogged() throws DeploymentException {
        FakeSession session = new FakeSession();
        FailingOnError endpoint = new FailingOnError();
        AnnotatedEndpoint adapter = open(FailingOnError.class, endpoint, session);
        RuntimeException original = new RuntimeException("original");

        adapter.onError(session, original); // §5.2.2 WSC-5.2.2-4: logged, not thrown

        assertEquals(1, endpoint.errors);
    }

    @ServerEndpoint("/x/{id}")
    public static class OnErrorWithBadPathParam {
        int errors;

        @OnError
        public void error(Throwable t, @PathParam("id") int id) {
            errors++;
        }
    }

    @Test
    void onErrorWhosePathParamCannotBeConvertedIsLoggedNotCalled() throws DeploymentException {
        FakeSession session = new FakeSession();
        session.pathParameters.put("id", "x");
        OnErrorWithBadPathParam endpoint = new OnErrorWithBadPathParam();
        AnnotatedEndpoint adapter = open(OnErrorWithBadPathParam.class, endpoint, session);

        adapter.onError(session, new RuntimeException("original"));

        assertEquals(0, endpoint.errors);
    }

    @ServerEndpoint("/x/{id}")
    public static class OnOpenWithBadPathParam {
        final List<Object> calls = new ArrayList<>();

        @OnOpen
        public void open(@PathParam("id") long id) {
            calls.add("open");
        }

        @OnError
        public void error(Throwable t) {
            calls.add(t);
        }
    }

    @Test
    void onOpenWhosePathParamCannotBeConvertedIsNotCalled() throws DeploymentException {
        FakeSession session = new FakeSession();
        session.pathParameters.put("id", "1.5");
        OnOpenWithBadPathParam endpoint = new OnOpenWithBadPathParam();
        open(OnOpenWithBadPathParam.class, endpoint, session);

        assertEquals(1, endpoint.calls.size());
        assertInstanceOf(DecodeException.class, endpoint.calls.get(0));
    }

    @Test
    void nullReturnValueSendsNothing() throws DeploymentException {
        FakeSession session = new FakeSession();
        open(Partials.class, new Partials(), session);

        session.deliverPart(ByteBuffer.class, ByteBuffer.allocate(1), false);

        assertTrue(session.sent.isEmpty());
    }

    @Test
    void theInstanceMustBeOfTheEndpointClass() throws DeploymentException {
        AnnotatedEndpointModel model = AnnotatedEndpointModel.of(Chat.class, List.of());
        assertThrows(IllegalArgumentException.class, () -> model.newEndpoint(new Streams()));
        Chat chat = new Chat();
        AnnotatedEndpoint endpoint = model.newEndpoint(chat);
        assertSame(chat, endpoint.instance());
        assertSame(model, endpoint.model());
    }

    @ServerEndpoint("/x")
    public static class NoCallbacks {
    }

    @Test
    void anEndpointWithoutMethodsDoesNothing() throws DeploymentException {
        FakeSession session = new FakeSession();
        AnnotatedEndpoint adapter = open(NoCallbacks.class, new NoCallbacks(), session);
        adapter.onClose(session, NORMAL);
        adapter.onError(session, new RuntimeException("logged"));
        assertTrue(session.registrations.isEmpty());
    }
}
