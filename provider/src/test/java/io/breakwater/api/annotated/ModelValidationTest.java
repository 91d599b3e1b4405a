package io.breakwater.api.annotated;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.api.annotated.TestDecoders.PointDecoder;
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
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One test per deployment rule of Jakarta WebSocket 2.2 chapter 4: each invalid endpoint is rejected with a
 * DeploymentException whose message names the class, the method and the rule (§5.2.1).
 */
class ModelValidationTest {

    private static DeploymentException rejected(Class<?> endpoint, List<Class<? extends Decoder>> decoders) {
        return assertThrows(DeploymentException.class, () -> AnnotatedEndpointModel.of(endpoint, decoders));
    }

    /** Asserts the message names the class, the method (if any) and contains each rule fragment. */
    private static void assertRejected(Class<?> endpoint, String method, String... rule) {
        assertRejectedWith(endpoint, List.of(), method, rule);
    }

    private static void assertRejectedWith(Class<?> endpoint, List<Class<? extends Decoder>> decoders, String method,
            String... rule) {
        String message = rejected(endpoint, decoders).getMessage();
        assertTrue(message.contains(endpoint.getName()), () -> "class not named: " + message);
        if (method != null) {
            assertTrue(message.contains("." + method + "("), () -> "method " + method + " not named: " + message);
        }
        for (String fragment : rule) {
            assertTrue(message.contains(fragment), () -> "rule '" + fragment + "' not named: " + message);
        }
    }

    // --- class level (§4.1, §4.2, §4.8) ---

    public static class NotAnnotated {
        @OnMessage
        public void text(String message) {
        }
    }

    @Test
    void classWithoutEndpointAnnotationIsRejected() {
        assertRejected(NotAnnotated.class, null, "not annotated with @ServerEndpoint or @ClientEndpoint");
    }

    @ServerEndpoint("/x")
    static class PackagePrivateServer {
    }

    @Test
    void serverEndpointClassMustBePublic() {
        assertRejected(PackagePrivateServer.class, null, "is not public", "§4.1");
    }

    @ServerEndpoint("/x")
    public abstract static class AbstractServer {
    }

    @Test
    void serverEndpointClassMustBeConcrete() {
        assertRejected(AbstractServer.class, null, "is abstract", "§4.1");
    }

    @ServerEndpoint("/x")
    public static class NoDefaultConstructorServer {
        public NoDefaultConstructorServer(String name) {
        }
    }

    @Test
    void serverEndpointClassNeedsPublicNoArgsConstructor() {
        assertRejected(NoDefaultConstructorServer.class, null, "no public no-args constructor", "§4.1");
    }

    @ServerEndpoint("/x")
    public static class OnlyServer {
    }

    @Test
    void explicitKindMustMatchTheAnnotation() {
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> AnnotatedEndpointModel.of(OnlyServer.class, AnnotatedEndpointModel.Kind.CLIENT, List.of()));
        assertTrue(e.getMessage().contains(OnlyServer.class.getName()));
        assertTrue(e.getMessage().contains("not annotated with @ClientEndpoint"));
    }

    // --- method modifiers ---

    @ServerEndpoint("/x")
    public static class StaticMethod {
        @OnMessage
        public static void text(String message) {
        }
    }

    @Test
    void annotatedMethodMustNotBeStatic() {
        assertRejected(StaticMethod.class, "text", "is static", "@OnMessage");
    }

    @ServerEndpoint("/x")
    public static class ProtectedMethod {
        @OnOpen
        protected void open(Session session) {
        }
    }

    @Test
    void annotatedMethodMustBePublic() {
        assertRejected(ProtectedMethod.class, "open", "is not public", "@OnOpen");
    }

    @ServerEndpoint("/x")
    public static class PrivateMessageMethod {
        @OnMessage
        private void text(String message) {
        }
    }

    @Test
    void privateMessageMethodIsRejected() {
        assertRejected(PrivateMessageMethod.class, "text", "is not public", "@OnMessage");
    }

    // --- at most one lifecycle method (§4.4 to §4.6) ---

    @ServerEndpoint("/x")
    public static class TwoOnOpen {
        @OnOpen
        public void first(Session session) {
        }

        @OnOpen
        public void second() {
        }
    }

    @Test
    void atMostOneOnOpen() {
        assertRejected(TwoOnOpen.class, "first", ".second(", "more than one @OnOpen", "WSC-4.4-3");
    }

    @ClientEndpoint
    public static class TwoOnClose {
        @OnClose
        public void first() {
        }

        @OnClose
        public void second(CloseReason reason) {
        }
    }

    @Test
    void atMostOneOnClose() {
        assertRejected(TwoOnClose.class, "first", ".second(", "more than one @OnClose", "WSC-4.5-4");
    }

    @ServerEndpoint("/x")
    public static class TwoOnError {
        @OnError
        public void first(Throwable t) {
        }

        @OnError
        public void second(Session session, Throwable t) {
        }
    }

    @Test
    void atMostOneOnError() {
        assertRejected(TwoOnError.class, "first", ".second(", "more than one @OnError", "WSC-4.6-3");
    }

    // --- at most one @OnMessage per native message type (§4.7, WSC-4.7-4) ---

    @ServerEndpoint("/x")
    public static class TwoTextMethods {
        @OnMessage
        public String echo(String message) {
            return message;
        }

        @OnMessage
        public String echo(String part, boolean last) {
            return part;
        }
    }

    @Test
    void atMostOneTextMessageMethod() {
        assertRejected(TwoTextMethods.class, "echo", "more than one @OnMessage method for text messages",
                "WSC-4.7-4");
    }

    @ServerEndpoint("/x")
    public static class TwoTextKindsOfText {
        @OnMessage
        public void number(int value) {
        }

        @OnMessage
        public void reader(Reader reader) {
        }
    }

    @Test
    void primitiveAndReaderAreBothText() {
        assertRejected(TwoTextKindsOfText.class, "number", ".reader(", "for text messages");
    }

    @ServerEndpoint("/x")
    public static class TwoBinaryMethods {
        @OnMessage
        public void bytes(byte[] message) {
        }

        @OnMessage
        public void stream(InputStream message) {
        }
    }

    @Test
    void atMostOneBinaryMessageMethod() {
        assertRejected(TwoBinaryMethods.class, "bytes", ".stream(", "for binary messages", "WSC-4.7-4");
    }

    @ClientEndpoint
    public static class TwoPongMethods {
        @OnMessage
        public void pong(PongMessage pong) {
        }

        @OnMessage
        public void pongAgain(PongMessage pong, Session session) {
        }
    }

    @Test
    void atMostOnePongMessageMethod() {
        assertRejected(TwoPongMethods.class, "pong", ".pongAgain(", "for pong messages", "WSC-4.7-4");
    }

    @ServerEndpoint("/x")
    public static class TwoDecodedTextMethods {
        @OnMessage
        public void text(String message) {
        }

        @OnMessage
        public void point(TestDecoders.Point point) {
        }
    }

    @Test
    void decodedTextCountsAsText() {
        assertRejectedWith(TwoDecodedTextMethods.class, List.of(PointDecoder.class), "point", ".text(",
                "for text messages");
    }

    // --- @OnOpen parameters (§4.4) ---

    @ServerEndpoint("/x")
    public static class OnOpenWithString {
        @OnOpen
        public void open(Session session, String thisShouldNotBeHere) {
        }
    }

    @Test
    void onOpenRejectsUnannotatedString() {
        assertRejected(OnOpenWithString.class, "open", "parameter 2 (String)", "@OnOpen does not allow", "§4.4");
    }

    @ServerEndpoint("/x")
    public static class OnOpenWithCloseReason {
        @OnOpen
        public void open(CloseReason reason) {
        }
    }

    @Test
    void onOpenRejectsCloseReason() {
        assertRejected(OnOpenWithCloseReason.class, "open", "parameter 1 (CloseReason)", "@OnOpen does not allow");
    }

    @ServerEndpoint("/x")
    public static class OnOpenWithTwoConfigs {
        @OnOpen
        public void open(EndpointConfig a, EndpointConfig b) {
        }
    }

    @Test
    void onOpenAllowsOneEndpointConfig() {
        assertRejected(OnOpenWithTwoConfigs.class, "open", "more than one EndpointConfig parameter");
    }

    // --- @OnClose parameters (§4.5) ---

    @ServerEndpoint("/x")
    public static class OnCloseWithConfig {
        @OnClose
        public void close(Session session, EndpointConfig config) {
        }
    }

    @Test
    void onCloseRejectsEndpointConfig() {
        assertRejected(OnCloseWithConfig.class, "close", "parameter 2 (EndpointConfig)", "@OnClose does not allow",
                "§4.5");
    }

    @ClientEndpoint
    public static class OnCloseWithTwoSessions {
        @OnClose
        public void close(Session a, CloseReason reason, Session b) {
        }
    }

    @Test
    void atMostOneSessionParameter() {
        assertRejected(OnCloseWithTwoSessions.class, "close", "more than one Session parameter",
                "parameter 3 (Session)");
    }

    // --- @OnError parameters (§4.6) ---

    @ServerEndpoint("/x")
    public static class OnErrorWithoutThrowable {
        @OnError
        public void error(Session session) {
        }
    }

    @Test
    void onErrorRequiresThrowable() {
        assertRejected(OnErrorWithoutThrowable.class, "error", "no Throwable parameter", "§4.6");
    }

    @ServerEndpoint("/x")
    public static class OnErrorWithException {
        @OnError
        public void error(Session session, Exception e) {
        }
    }

    @Test
    void onErrorThrowableParameterMustBeThrowable() {
        assertRejected(OnErrorWithException.class, "error", "parameter 2 (Exception)", "@OnError does not allow");
    }

    @ServerEndpoint("/x")
    public static class OnErrorWithTwoThrowables {
        @OnError
        public void error(Throwable a, Throwable b) {
        }
    }

    @Test
    void onErrorAllowsOneThrowable() {
        assertRejected(OnErrorWithTwoThrowables.class, "error", "more than one Throwable parameter");
    }

    // --- @PathParam (§4.3) ---

    @ServerEndpoint("/x/{arg}")
    public static class PathParamOfDecodedType {
        @OnMessage
        public String echo(String echo, @PathParam("arg") TestDecoders.Point point) {
            return echo;
        }
    }

    @Test
    void pathParamMustBeStringPrimitiveOrBox() {
        assertRejectedWith(PathParamOfDecodedType.class, List.of(PointDecoder.class), "echo",
                "@PathParam(\"arg\")", "must be a String, a Java primitive or a box", "WSC-4.3-1");
    }

    @ServerEndpoint("/x/{arg}")
    public static class PathParamOnOpenOfObject {
        @OnOpen
        public void open(@PathParam("arg") Object arg) {
        }
    }

    @Test
    void pathParamTypeIsCheckedOnOnOpen() {
        assertRejected(PathParamOnOpenOfObject.class, "open", "WSC-4.3-1");
    }

    @ServerEndpoint("/x/{arg}")
    public static class PathParamOnCloseOfSession {
        @OnClose
        public void close(@PathParam("arg") Session session) {
        }
    }

    @Test
    void pathParamTypeIsCheckedOnOnClose() {
        assertRejected(PathParamOnCloseOfSession.class, "close", "WSC-4.3-1");
    }

    @ServerEndpoint("/x/{arg}")
    public static class PathParamOnErrorOfList {
        @OnError
        public void error(Throwable t, @PathParam("arg") List<String> arg) {
        }
    }

    @Test
    void pathParamTypeIsCheckedOnOnError() {
        assertRejected(PathParamOnErrorOfList.class, "error", "WSC-4.3-1");
    }

    @ServerEndpoint("/x/{arg}")
    public static class PathParamWithoutName {
        @OnMessage
        public void text(String message, @PathParam("") String arg) {
        }
    }

    @Test
    void pathParamNeedsAValue() {
        assertRejected(PathParamWithoutName.class, "text", "@PathParam with an empty value", "WSC-4.3-2");
    }

    // --- @OnMessage parameters (§4.7, OnMessage API documentation) ---

    @ServerEndpoint("/x")
    public static class NoMessageParameter {
        @OnMessage
        public void text(Session session, @PathParam("a") String a) {
        }
    }

    @Test
    void onMessageNeedsAMessageParameter() {
        assertRejected(NoMessageParameter.class, "text", "no message parameter", "WSC-4.7-1");
    }

    @ServerEndpoint("/x")
    public static class StringAndInt {
        @OnMessage
        public String echo(String echo, int i) {
            return echo;
        }
    }

    @Test
    void atMostOneMessageParameter() {
        assertRejected(StringAndInt.class, "echo", "more than one message parameter", "parameter 2 (int)");
    }

    @ServerEndpoint("/x")
    public static class ByteBufferAndInt {
        @OnMessage
        public void bytes(ByteBuffer message, int i) {
        }
    }

    @Test
    void byteBufferWithIntIsRejected() {
        assertRejected(ByteBufferAndInt.class, "bytes", "more than one message parameter");
    }

    @ServerEndpoint("/x")
    public static class ThreeCandidates {
        @OnMessage
        public void text(String part, boolean last, Session session, boolean again) {
        }
    }

    @Test
    void twoBooleanFlagsAreRejected() {
        assertRejected(ThreeCandidates.class, "text", "more than one message parameter");
    }

    @ServerEndpoint("/x")
    public static class ReaderAndBoolean {
        @OnMessage
        public void text(Reader reader, boolean last) {
        }
    }

    @Test
    void readerCannotBePartial() {
        assertRejected(ReaderAndBoolean.class, "text", "boolean 'last'", "Reader, which cannot be received in parts");
    }

    @ClientEndpoint
    public static class InputStreamAndBoolean {
        @OnMessage
        public void binary(InputStream stream, boolean last) {
        }
    }

    @Test
    void inputStreamCannotBePartial() {
        assertRejected(InputStreamAndBoolean.class, "binary", "InputStream, which cannot be received in parts");
    }

    @ServerEndpoint("/x")
    public static class PongAndBoolean {
        @OnMessage
        public void pong(PongMessage pong, boolean last) {
        }
    }

    @Test
    void pongCannotBePartial() {
        assertRejected(PongAndBoolean.class, "pong", "PongMessage, which cannot be received in parts");
    }

    @ServerEndpoint("/x")
    public static class IntAndBoolean {
        @OnMessage
        public void number(boolean last, int value) {
        }
    }

    @Test
    void primitiveCannotBePartial() {
        assertRejected(IntAndBoolean.class, "number", "int, which cannot be received in parts");
    }

    @ServerEndpoint("/x")
    public static class DecodedAndBoolean {
        @OnMessage
        public void point(TestDecoders.Point point, boolean last) {
        }
    }

    @Test
    void decodedTypeCannotBePartial() {
        assertRejectedWith(DecodedAndBoolean.class, List.of(PointDecoder.class), "point",
                "Point, which cannot be received in parts");
    }

    @ServerEndpoint("/x")
    public static class BigDecimalMessage {
        @OnMessage
        public String echo(BigDecimal echo) {
            return echo.toString();
        }
    }

    @Test
    void decodedTypeNeedsADecoder() {
        assertRejected(BigDecimalMessage.class, "echo", "java.math.BigDecimal", "no Decoder.Text",
                "decoders: none");
    }

    @Test
    void decodedTypeNeedsAMatchingDecoder() {
        assertRejectedWith(BigDecimalMessage.class, List.of(PointDecoder.class), "echo", "no Decoder.Text",
                PointDecoder.class.getName());
    }

    @ServerEndpoint("/x")
    public static class OnMessageWithEndpointConfig {
        @OnMessage
        public void text(String message, EndpointConfig config) {
        }
    }

    @Test
    void onMessageRejectsEndpointConfig() {
        assertRejected(OnMessageWithEndpointConfig.class, "text", "more than one message parameter");
    }

    // --- maxMessageSize (§4.7.1) ---

    @ServerEndpoint("/x")
    public static class TooLargeMaxMessageSize {
        @OnMessage(maxMessageSize = Integer.MAX_VALUE + 1L)
        public void text(String message) {
        }
    }

    @Test
    void maxMessageSizeAboveIntegerMaxValueIsRejected() {
        assertRejected(TooLargeMaxMessageSize.class, "text", "maxMessageSize 2147483648", "§4.7.1");
    }

    @ServerEndpoint("/x")
    public static class NegativeMaxMessageSize {
        @OnMessage(maxMessageSize = -2)
        public void bytes(byte[] message) {
        }
    }

    @Test
    void maxMessageSizeBelowMinusOneIsRejected() {
        assertRejected(NegativeMaxMessageSize.class, "bytes", "maxMessageSize -2", "§4.7.1");
    }
}
