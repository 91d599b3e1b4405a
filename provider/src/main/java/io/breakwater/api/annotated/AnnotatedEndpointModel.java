package io.breakwater.api.annotated;

import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.Decoder;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpoint;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An annotated endpoint class ({@code @ServerEndpoint} or {@code @ClientEndpoint}), validated once at deployment
 * against chapter 4 of Jakarta WebSocket 2.2: its {@code @OnOpen}, {@code @OnClose}, {@code @OnError} and
 * {@code @OnMessage} methods (including those inherited from superclasses, §4.8) with every call prepared as a
 * {@link java.lang.invoke.MethodHandle}. Immutable and shared by all connections; each connection wraps one endpoint
 * instance in an {@link AnnotatedEndpoint}.
 *
 * <p>Any rule broken is a deployment error (§5.2.1): {@link #of} throws a {@link DeploymentException} whose message
 * names the class, the method and the rule.
 */
public final class AnnotatedEndpointModel {

    /** Which class-level annotation the model was built for. */
    public enum Kind {
        /** {@code @ServerEndpoint} (§4.1). */
        SERVER,
        /** {@code @ClientEndpoint} (§4.2). */
        CLIENT
    }

    private final Class<?> endpointClass;
    private final Kind kind;
    private final List<Class<? extends Decoder>> decoders;
    private final LifecycleMethod onOpen;
    private final LifecycleMethod onClose;
    private final LifecycleMethod onError;
    private final List<MessageMethod> messageMethods;
    private final Map<MessageKind, MessageMethod> byKind;

    AnnotatedEndpointModel(Class<?> endpointClass, Kind kind, List<Class<? extends Decoder>> decoders,
            LifecycleMethod onOpen, LifecycleMethod onClose, LifecycleMethod onError,
            List<MessageMethod> messageMethods) {
        this.endpointClass = endpointClass;
        this.kind = kind;
        this.decoders = List.copyOf(decoders);
        this.onOpen = onOpen;
        this.onClose = onClose;
        this.onError = onError;
        this.messageMethods = List.copyOf(messageMethods);
        Map<MessageKind, MessageMethod> map = new EnumMap<>(MessageKind.class);
        for (MessageMethod method : messageMethods) {
            map.put(method.kind(), method);
        }
        this.byKind = map;
    }

    /**
     * The model of an annotated endpoint class with the decoders of its class-level annotation.
     *
     * @see #of(Class, List)
     */
    public static AnnotatedEndpointModel of(Class<?> endpointClass) throws DeploymentException {
        Objects.requireNonNull(endpointClass, "endpointClass");
        Kind kind = ModelBuilder.kindOf(endpointClass);
        List<Class<? extends Decoder>> decoders = kind == Kind.SERVER
                ? List.of(endpointClass.getDeclaredAnnotation(ServerEndpoint.class).decoders())
                : List.of(endpointClass.getDeclaredAnnotation(ClientEndpoint.class).decoders());
        return of(endpointClass, kind, decoders);
    }

    /**
     * The model of an annotated endpoint class. Server or client is decided by the class-level annotation the class
     * itself declares (class-level annotations are not inherited, §4.8); a class with both is taken as a server
     * endpoint, use {@link #of(Class, Kind, List)} to choose.
     *
     * @param endpointClass the class annotated with {@code @ServerEndpoint} or {@code @ClientEndpoint}
     * @param decoders      the complete list of decoders of the endpoint, in order (from the annotation or the
     *                      {@code EndpointConfig}); it decides which parameter types {@code @OnMessage} may take
     * @throws DeploymentException naming the class, the method and the rule when the class is not a valid annotated
     *                             endpoint
     */
    public static AnnotatedEndpointModel of(Class<?> endpointClass, List<Class<? extends Decoder>> decoders)
            throws DeploymentException {
        Objects.requireNonNull(endpointClass, "endpointClass");
        return of(endpointClass, ModelBuilder.kindOf(endpointClass), decoders);
    }

    /**
     * The model of an annotated endpoint class deployed as the given kind; the class must declare the matching
     * annotation.
     *
     * @see #of(Class, List)
     */
    public static AnnotatedEndpointModel of(Class<?> endpointClass, Kind kind,
            List<Class<? extends Decoder>> decoders) throws DeploymentException {
        Objects.requireNonNull(endpointClass, "endpointClass");
        Objects.requireNonNull(kind, "kind");
        return new ModelBuilder(endpointClass, kind, decoders == null ? List.of() : decoders).build();
    }

    /** The annotated class. */
    public Class<?> endpointClass() {
        return endpointClass;
    }

    /** Server or client endpoint. */
    public Kind kind() {
        return kind;
    }

    /** The decoders the model was validated against. */
    public List<Class<? extends Decoder>> decoders() {
        return decoders;
    }

    /** The {@code @OnOpen} method, if any (§4.4). */
    public Optional<LifecycleMethod> onOpen() {
        return Optional.ofNullable(onOpen);
    }

    /** The {@code @OnClose} method, if any (§4.5). */
    public Optional<LifecycleMethod> onClose() {
        return Optional.ofNullable(onClose);
    }

    /** The {@code @OnError} method, if any (§4.6). */
    public Optional<LifecycleMethod> onError() {
        return Optional.ofNullable(onError);
    }

    /** The {@code @OnMessage} methods, at most one per {@link MessageKind} (§4.7). */
    public List<MessageMethod> messageMethods() {
        return messageMethods;
    }

    /** The {@code @OnMessage} method for one native message type, if any. */
    public Optional<MessageMethod> messageMethod(MessageKind messageKind) {
        return Optional.ofNullable(byKind.get(messageKind));
    }

    /**
     * A new per-connection adapter around {@code instance}.
     *
     * @throws IllegalArgumentException when {@code instance} is not an instance of {@link #endpointClass()}
     */
    public AnnotatedEndpoint newEndpoint(Object instance) {
        return new AnnotatedEndpoint(this, instance);
    }

    @Override
    public String toString() {
        return "AnnotatedEndpointModel[" + kind + " " + endpointClass.getName() + "]";
    }
}
