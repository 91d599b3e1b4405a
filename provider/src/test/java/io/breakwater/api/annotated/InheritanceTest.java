package io.breakwater.api.annotated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * WebSocket 2.2 §4.8: class-level annotations are not inherited; method annotations of superclasses count unless a
 * subclass overrides the method, in which case only an annotated override is a callback. The shapes follow the TCK's
 * spec/annotation/inheritance tests.
 */
class InheritanceTest {

    /** Like the TCK's AnnotatedClientEndpoint: a generic base whose methods are not annotated. */
    public abstract static class GenericBase<T> {
        public final List<String> calls = new ArrayList<>();

        public void onOpen(Session session, EndpointConfig config) {
            calls.add("base open");
        }

        public void onMessage(T message) {
            calls.add("base message " + message);
        }
    }

    /** Not an endpoint itself (no class-level annotation); annotates the overrides (javac adds bridge methods). */
    public static class AnnotatedSuperclass extends GenericBase<String> {
        @Override
        @OnOpen
        public void onOpen(Session session, EndpointConfig config) {
            calls.add("super open");
        }

        @Override
        @OnMessage
        public void onMessage(String message) {
            calls.add("super message " + message);
        }

        @OnClose
        public void onClose(Session session, CloseReason reason) {
            calls.add("super close");
        }

        @OnError
        public void onError(Session session, Throwable t) {
            calls.add("super error " + t.getMessage());
        }
    }

    @ClientEndpoint
    public static class SubclassWithoutAnnotations extends AnnotatedSuperclass {
    }

    @Test
    void annotatedMethodsOfSuperclassesAreInherited() throws DeploymentException {
        AnnotatedEndpointModel model = AnnotatedEndpointModel.of(SubclassWithoutAnnotations.class, List.of());
        assertSame(AnnotatedSuperclass.class, model.onOpen().orElseThrow().method().getDeclaringClass());
        assertSame(AnnotatedSuperclass.class, model.onClose().orElseThrow().method().getDeclaringClass());
        assertSame(AnnotatedSuperclass.class, model.onError().orElseThrow().method().getDeclaringClass());
        MessageMethod text = model.messageMethod(MessageKind.TEXT).orElseThrow();
        assertSame(String.class, text.registeredType()); // the annotated onMessage(String), not the bridge

        SubclassWithoutAnnotations instance = new SubclassWithoutAnnotations();
        FakeSession session = new FakeSession();
        AnnotatedEndpoint endpoint = model.newEndpoint(instance);
        endpoint.onOpen(session, null);
        session.deliver(String.class, "hi");
        endpoint.onError(session, new RuntimeException("boom"));
        endpoint.onClose(session, null);
        assertEquals(List.of("super open", "super message hi", "super error boom", "super close"), instance.calls);
    }

    @ClientEndpoint
    public static class SubclassOverridingWithAnnotations extends AnnotatedSuperclass {
        @OnOpen
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            calls.add("sub open");
        }

        @OnMessage
        @Override
        public void onMessage(String message) {
            calls.add("sub message " + message);
        }
    }

    @Test
    void annotatedOverridesReplaceTheSuperclassMethods() throws DeploymentException {
        AnnotatedEndpointModel model = AnnotatedEndpointModel.of(SubclassOverridingWithAnnotations.class, List.of());
        assertSame(SubclassOverridingWithAnnotations.class,
                model.onOpen().orElseThrow().method().getDeclaringClass());
        assertSame(SubclassOverridingWithAnnotations.class,
                model.messageMethod(MessageKind.TEXT).orElseThrow().method().getDeclaringClass());
        assertSame(AnnotatedSuperclass.class, model.onClose().orElseThrow().method().getDeclaringClass());

        SubclassOverridingWithAnnotations instance = new SubclassOverridingWithAnnotations();
        FakeSession session = new FakeSession();
        model.newEndpoint(instance).onOpen(session, null);
        session.deliver(String.class, "hi");
        assertEquals(List.of("sub open", "sub message hi"), instance.calls);
    }

    @ClientEndpoint
    public static class SubclassOverridingWithoutAnnotations extends AnnotatedSuperclass {
        @Override
        public void onMessage(String message) {
            calls.add("unannotated override " + message);
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            calls.add("unannotated close");
        }
    }

    @Test
    void unannotatedOverridesRemoveTheCallback() throws DeploymentException {
        // §4.8: "Subclasses that override methods annotated with WebSocket method annotations do not obtain
        // WebSocket callbacks unless those subclass methods themselves are marked".
        AnnotatedEndpointModel model = AnnotatedEndpointModel.of(SubclassOverridingWithoutAnnotations.class,
                List.of());
        assertTrue(model.messageMethods().isEmpty());
        assertTrue(model.onClose().isEmpty());
        assertTrue(model.onOpen().isPresent()); // not overridden

        SubclassOverridingWithoutAnnotations instance = new SubclassOverridingWithoutAnnotations();
        FakeSession session = new FakeSession();
        AnnotatedEndpoint endpoint = model.newEndpoint(instance);
        endpoint.onOpen(session, null);
        endpoint.onClose(session, null);
        assertTrue(session.registrations.isEmpty());
        assertEquals(List.of("super open"), instance.calls);
    }

    /** A generic superclass annotating a method whose parameter erases to Object. */
    public abstract static class AnnotatedGeneric<T> {
        @OnMessage
        public void onMessage(T message) {
        }
    }

    @ClientEndpoint
    public static class GenericOverrideWithoutAnnotation extends AnnotatedGeneric<String> {
        @Override
        public void onMessage(String message) { // javac adds a bridge onMessage(Object) here
        }
    }

    @Test
    void unannotatedGenericOverrideRemovesTheCallbackToo() throws DeploymentException {
        // Without seeing through the bridge, the inherited onMessage(Object) would count, and fail for lack of a
        // decoder for Object.
        assertTrue(AnnotatedEndpointModel.of(GenericOverrideWithoutAnnotation.class, List.of())
                .messageMethods().isEmpty());
    }

    @ClientEndpoint
    public static class SecondOnMessage extends AnnotatedSuperclass {
        @OnMessage
        public void gotMessage(String message) {
        }
    }

    @ClientEndpoint
    public static class SecondOnOpen extends AnnotatedSuperclass {
        @OnOpen
        public void open(Session session, EndpointConfig config) {
        }
    }

    @ClientEndpoint
    public static class SecondOnClose extends AnnotatedSuperclass {
        @OnClose
        public void close(Session session, CloseReason reason) {
        }
    }

    @ClientEndpoint
    public static class SecondOnError extends AnnotatedSuperclass {
        @OnError
        public void gotError(Session session, Throwable t) {
        }
    }

    private static void assertDuplicate(Class<?> endpoint, String method, String rule) {
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> AnnotatedEndpointModel.of(endpoint, List.of()));
        assertTrue(e.getMessage().contains(endpoint.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(endpoint.getName() + "." + method + "("), e.getMessage());
        assertTrue(e.getMessage().contains(AnnotatedSuperclass.class.getName() + "."), e.getMessage());
        assertTrue(e.getMessage().contains(rule), e.getMessage());
    }

    @Test
    void aSecondOnMessageInASubclassIsADuplicate() {
        assertDuplicate(SecondOnMessage.class, "gotMessage", "more than one @OnMessage method for text messages");
    }

    @Test
    void aSecondOnOpenInASubclassIsADuplicate() {
        assertDuplicate(SecondOnOpen.class, "open", "more than one @OnOpen");
    }

    @Test
    void aSecondOnCloseInASubclassIsADuplicate() {
        assertDuplicate(SecondOnClose.class, "close", "more than one @OnClose");
    }

    @Test
    void aSecondOnErrorInASubclassIsADuplicate() {
        assertDuplicate(SecondOnError.class, "gotError", "more than one @OnError");
    }

    @ServerEndpoint("/echo")
    public static class AnnotatedEndpointClass {
        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

    public static class UnannotatedSubclass extends AnnotatedEndpointClass {
    }

    @Test
    void classLevelAnnotationsAreNotInherited() {
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> AnnotatedEndpointModel.of(UnannotatedSubclass.class, List.of()));
        assertTrue(e.getMessage().contains(UnannotatedSubclass.class.getName()));
        assertTrue(e.getMessage().contains("not annotated with @ServerEndpoint or @ClientEndpoint"));
    }

    /** A package-private superclass: its public method is reached through the public endpoint class. */
    abstract static class HiddenBase {
        @OnMessage
        public String echo(String message) {
            return "hidden " + message;
        }
    }

    @ServerEndpoint("/x")
    public static class PublicChild extends HiddenBase {
    }

    @Test
    void publicMethodOfANonPublicSuperclassIsCallable() throws DeploymentException {
        FakeSession session = new FakeSession();
        AnnotatedEndpointModel.of(PublicChild.class, List.of()).newEndpoint(new PublicChild()).onOpen(session, null);
        session.deliver(String.class, "hi");
        assertEquals(List.of(new FakeSession.Sent("sendText", "hidden hi")), session.sent);
    }

    public static class BaseWithPrivateAnnotated {
        @OnOpen
        void open() {
        }
    }

    @ServerEndpoint("/x")
    public static class ChildOfBadBase extends BaseWithPrivateAnnotated {
    }

    @Test
    void inheritedAnnotatedMethodsAreValidatedToo() {
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> AnnotatedEndpointModel.of(ChildOfBadBase.class, List.of()));
        assertTrue(e.getMessage().contains(ChildOfBadBase.class.getName()));
        assertTrue(e.getMessage().contains(BaseWithPrivateAnnotated.class.getName() + ".open("));
        assertTrue(e.getMessage().contains("is not public"));
    }
}
