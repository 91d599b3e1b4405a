package io.breakwater.api.annotated;

import io.breakwater.api.annotated.AnnotatedEndpointModel.Kind;
import io.breakwater.api.annotated.Argument.Source;
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
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Validates an annotated endpoint class against chapter 4 of Jakarta WebSocket 2.2 and builds its model. */
final class ModelBuilder {

    private final Class<?> endpointClass;
    private final Kind kind;
    private final List<Class<? extends Decoder>> decoders;
    private final List<DecoderTypes.Entry> decoderTypes;

    ModelBuilder(Class<?> endpointClass, Kind kind, List<Class<? extends Decoder>> decoders) {
        this.endpointClass = endpointClass;
        this.kind = kind;
        this.decoders = List.copyOf(decoders);
        this.decoderTypes = DecoderTypes.of(this.decoders);
    }

    /** The kind given by the class-level annotation the class itself declares (§4.8: they are not inherited). */
    static Kind kindOf(Class<?> endpointClass) throws DeploymentException {
        if (endpointClass.getDeclaredAnnotation(ServerEndpoint.class) != null) {
            return Kind.SERVER;
        }
        if (endpointClass.getDeclaredAnnotation(ClientEndpoint.class) != null) {
            return Kind.CLIENT;
        }
        throw Describe.classError(endpointClass, "is not annotated with @ServerEndpoint or @ClientEndpoint;"
                + " class-level WebSocket annotations are not inherited from superclasses", "§4.1, §4.2, §4.8");
    }

    AnnotatedEndpointModel build() throws DeploymentException {
        checkClass();
        Map<Class<? extends Annotation>, List<Method>> methods = AnnotatedMethods.find(endpointClass);
        LifecycleMethod open = lifecycle(single(methods.get(OnOpen.class), OnOpen.class, "§4.4 (WSC-4.4-3)"),
                OnOpen.class);
        LifecycleMethod close = lifecycle(single(methods.get(OnClose.class), OnClose.class, "§4.5 (WSC-4.5-4)"),
                OnClose.class);
        LifecycleMethod error = lifecycle(single(methods.get(OnError.class), OnError.class, "§4.6 (WSC-4.6-3)"),
                OnError.class);
        Map<MessageKind, MessageMethod> byKind = new EnumMap<>(MessageKind.class);
        for (Method method : methods.get(OnMessage.class)) {
            MessageMethod message = message(method);
            MessageMethod previous = byKind.putIfAbsent(message.kind(), message);
            if (previous != null) {
                // §4.7, WSC-4.7-4: one message handling method per native message type.
                throw Describe.classError(endpointClass, "has more than one @OnMessage method for "
                        + message.kind().name().toLowerCase() + " messages: " + Describe.method(previous.method())
                        + " and " + Describe.method(method) + "; an endpoint may have only one per native message"
                        + " type (text, binary, pong)", "§4.7 (WSC-4.7-4)");
            }
        }
        return new AnnotatedEndpointModel(endpointClass, kind, decoders, open, close, error,
                new ArrayList<>(byKind.values()));
    }

    private void checkClass() throws DeploymentException {
        Class<? extends Annotation> annotation = kind == Kind.SERVER ? ServerEndpoint.class : ClientEndpoint.class;
        if (endpointClass.getDeclaredAnnotation(annotation) == null) {
            throw Describe.classError(endpointClass, "is not annotated with @" + annotation.getSimpleName()
                    + " (class-level WebSocket annotations are not inherited)", "§4.1, §4.2, §4.8");
        }
        if (kind == Kind.CLIENT) {
            // §4.2 asks for a public no-args constructor too, but a client endpoint may be connected as an
            // instance the application made; connectToServer(Class) reports a failed instantiation itself.
            return;
        }
        int modifiers = endpointClass.getModifiers();
        if (!Modifier.isPublic(modifiers)) {
            throw Describe.classError(endpointClass, "is not public; a @ServerEndpoint class must be public",
                    "§4.1, §4.8 (WSC-4.8.2)");
        }
        if (endpointClass.isInterface() || Modifier.isAbstract(modifiers)) {
            throw Describe.classError(endpointClass, "is abstract; a @ServerEndpoint class must be concrete", "§4.1");
        }
        try {
            endpointClass.getConstructor();
        } catch (NoSuchMethodException e) {
            throw Describe.classError(endpointClass,
                    "has no public no-args constructor; a @ServerEndpoint class must have one", "§4.1");
        }
    }

    private Method single(List<Method> methods, Class<? extends Annotation> annotation, String section)
            throws DeploymentException {
        if (methods.size() > 1) {
            throw Describe.classError(endpointClass, "has more than one @" + annotation.getSimpleName()
                    + " method: " + Describe.method(methods.get(0)) + " and " + Describe.method(methods.get(1))
                    + "; at most one is allowed", section);
        }
        return methods.isEmpty() ? null : methods.get(0);
    }

    /** §4.4 to §4.6: Session, then EndpointConfig, CloseReason or Throwable, and @PathParam parameters. */
    private LifecycleMethod lifecycle(Method method, Class<? extends Annotation> annotation)
            throws DeploymentException {
        if (method == null) {
            return null;
        }
        String name = "@" + annotation.getSimpleName();
        String section;
        Class<?> specific;
        Source specificSource;
        if (annotation == OnOpen.class) {
            section = "§4.4 (WSC-4.4-3)";
            specific = EndpointConfig.class;
            specificSource = Source.ENDPOINT_CONFIG;
        } else if (annotation == OnClose.class) {
            section = "§4.5 (WSC-4.5-4)";
            specific = CloseReason.class;
            specificSource = Source.CLOSE_REASON;
        } else {
            section = "§4.6 (WSC-4.6-3)";
            specific = Throwable.class;
            specificSource = Source.THROWABLE;
        }
        Class<?>[] types = method.getParameterTypes();
        List<Argument> arguments = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            Class<?> type = types[i];
            PathParam pathParam = pathParam(method, i);
            if (pathParam != null) {
                arguments.add(pathArgument(method, i, pathParam, name));
            } else if (type == Session.class) {
                arguments.add(once(method, arguments, Source.SESSION, i, name, section));
            } else if (type == specific) {
                arguments.add(once(method, arguments, specificSource, i, name, section));
            } else {
                throw Describe.methodError(endpointClass, method, "has " + Describe.parameter(method, i)
                        + ", which " + name + " does not allow; allowed are an optional Session, "
                        + (annotation == OnError.class ? "a mandatory Throwable" : "an optional "
                                + specific.getSimpleName())
                        + " and @PathParam parameters of type String, a primitive or a box", section);
            }
        }
        if (annotation == OnError.class
                && arguments.stream().noneMatch(a -> a.source() == Source.THROWABLE)) {
            throw Describe.methodError(endpointClass, method,
                    "has no Throwable parameter; @OnError requires one", "§4.6 (WSC-4.6-3)");
        }
        return new LifecycleMethod(new MethodInvoker(method, handle(method), arguments));
    }

    /** §4.7 and the OnMessage API documentation: exactly one message parameter in one of the allowed forms. */
    private MessageMethod message(Method method) throws DeploymentException {
        OnMessage onMessage = method.getAnnotation(OnMessage.class);
        String section = "§4.7 (WSC-4.7-1)";
        Class<?>[] types = method.getParameterTypes();
        Argument[] arguments = new Argument[types.length];
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            PathParam pathParam = pathParam(method, i);
            if (pathParam != null) {
                arguments[i] = pathArgument(method, i, pathParam, "@OnMessage");
            } else if (types[i] == Session.class) {
                arguments[i] = once(method, Arrays.asList(arguments), Source.SESSION, i, "@OnMessage", section);
            } else {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            throw Describe.methodError(endpointClass, method, "has no message parameter; @OnMessage requires"
                    + " exactly one (besides an optional Session and @PathParam parameters)", section);
        }
        int messageIndex = candidates.get(0);
        int lastIndex = -1;
        if (candidates.size() == 2) {
            boolean firstFlag = types[candidates.get(0)] == boolean.class;
            boolean secondFlag = types[candidates.get(1)] == boolean.class;
            if (firstFlag != secondFlag) {
                lastIndex = firstFlag ? candidates.get(0) : candidates.get(1);
                messageIndex = firstFlag ? candidates.get(1) : candidates.get(0);
            }
        }
        if (candidates.size() > 2 || (candidates.size() == 2 && lastIndex < 0)) {
            throw Describe.methodError(endpointClass, method, "has more than one message parameter ("
                    + Describe.parameter(method, candidates.get(0)) + " and "
                    + Describe.parameter(method, candidates.get(1)) + "); besides exactly one message parameter"
                    + " @OnMessage allows only a Session, @PathParam parameters and, for String, ByteBuffer or byte[]"
                    + " received in parts, a boolean 'last' parameter", section);
        }
        Class<?> type = types[messageIndex];
        arguments[messageIndex] = Argument.of(Source.MESSAGE, type);
        if (lastIndex >= 0) {
            arguments[lastIndex] = Argument.of(Source.LAST, boolean.class);
        }

        long maxMessageSize = onMessage.maxMessageSize();
        if (maxMessageSize > Integer.MAX_VALUE) {
            // §4.7.1: no JVM String or ByteBuffer holds more than Integer.MAX_VALUE.
            throw Describe.methodError(endpointClass, method, "has maxMessageSize " + maxMessageSize
                    + ", larger than Integer.MAX_VALUE, the largest String or ByteBuffer", "§4.7.1");
        }
        if (maxMessageSize < -1) {
            throw Describe.methodError(endpointClass, method, "has maxMessageSize " + maxMessageSize
                    + "; it must be -1 (no maximum) or a size in bytes from 0 to Integer.MAX_VALUE", "§4.7.1");
        }

        MessageKind messageKind;
        Class<?> registered = type;
        boolean partial = lastIndex >= 0;
        boolean decoded = false;
        boolean whole = true; // whether maxMessageSize applies (OnMessage#maxMessageSize: whole messages only)
        if (partial) {
            if (type == String.class) {
                messageKind = MessageKind.TEXT;
            } else if (type == ByteBuffer.class || type == byte[].class) {
                messageKind = MessageKind.BINARY;
            } else {
                throw Describe.methodError(endpointClass, method, "has a boolean 'last' parameter with a message of"
                        + " type " + type.getSimpleName() + ", which cannot be received in parts; only String,"
                        + " ByteBuffer and byte[] can", section);
            }
            whole = false;
        } else if (type == String.class) {
            messageKind = MessageKind.TEXT;
        } else if (type == Reader.class) {
            messageKind = MessageKind.TEXT;
            whole = false;
        } else if (Primitives.isPrimitiveOrBox(type)) {
            // §4.7 (WSC-4.7-2): the session converts the text with the box's String constructor.
            messageKind = MessageKind.TEXT;
            registered = Primitives.box(type);
        } else if (type == ByteBuffer.class || type == byte[].class) {
            messageKind = MessageKind.BINARY;
        } else if (type == InputStream.class) {
            messageKind = MessageKind.BINARY;
            whole = false;
        } else if (type == PongMessage.class) {
            messageKind = MessageKind.PONG;
            whole = false;
        } else {
            DecoderTypes.Entry decoder = decoderFor(type);
            if (decoder == null) {
                throw Describe.methodError(endpointClass, method, "has a message parameter of type "
                        + type.getName() + " but no Decoder.Text, Decoder.TextStream, Decoder.Binary or"
                        + " Decoder.BinaryStream for that type is configured (decoders: " + decoderNames() + ")",
                        section);
            }
            messageKind = decoder.kind();
            decoded = true;
        }
        MethodInvoker invoker = new MethodInvoker(method, handle(method), Arrays.asList(arguments));
        return new MessageMethod(invoker, messageKind, registered, partial, decoded, whole ? maxMessageSize : -1);
    }

    /**
     * The first configured decoder whose decoded type can be passed as {@code type} (§4.2.2: the first appropriate
     * decoder), text decoders before binary ones. The spec does not say which native type a type decodable from both
     * is read from; text first is also how the session classifies {@code addMessageHandler(Class, ...)}.
     */
    private DecoderTypes.Entry decoderFor(Class<?> type) {
        for (MessageKind kind : List.of(MessageKind.TEXT, MessageKind.BINARY)) {
            for (DecoderTypes.Entry entry : decoderTypes) {
                if (entry.kind() == kind && type.isAssignableFrom(entry.decodedType())) {
                    return entry;
                }
            }
        }
        return null;
    }

    private String decoderNames() {
        if (decoders.isEmpty()) {
            return "none";
        }
        StringBuilder names = new StringBuilder();
        for (Class<? extends Decoder> decoder : decoders) {
            names.append(names.length() == 0 ? "" : ", ").append(decoder.getName());
        }
        return names.toString();
    }

    private static PathParam pathParam(Method method, int index) {
        for (Annotation annotation : method.getParameterAnnotations()[index]) {
            if (annotation instanceof PathParam pathParam) {
                return pathParam;
            }
        }
        return null;
    }

    /** §4.3: String, a primitive or a box (WSC-4.3-1), with a value (WSC-4.3-2). */
    private Argument pathArgument(Method method, int index, PathParam pathParam, String annotation)
            throws DeploymentException {
        Class<?> type = method.getParameterTypes()[index];
        if (type != String.class && !Primitives.isPrimitiveOrBox(type)) {
            throw Describe.methodError(endpointClass, method, "has @PathParam(\"" + pathParam.value() + "\") on "
                    + Describe.parameter(method, index) + "; a @PathParam parameter of " + annotation
                    + " must be a String, a Java primitive or a box", "§4.3 (WSC-4.3-1)");
        }
        if (pathParam.value() == null || pathParam.value().isEmpty()) {
            throw Describe.methodError(endpointClass, method, "has @PathParam with an empty value on "
                    + Describe.parameter(method, index) + "; the value must name a URI-template variable",
                    "§4.3 (WSC-4.3-2)");
        }
        return Argument.pathParam(pathParam.value(), type);
    }

    /** An argument that may appear only once per method (Session, EndpointConfig, CloseReason, Throwable). */
    private Argument once(Method method, List<Argument> sofar, Source source, int index, String annotation,
            String section) throws DeploymentException {
        for (Argument argument : sofar) {
            if (argument != null && argument.source() == source) {
                throw Describe.methodError(endpointClass, method, "has more than one "
                        + argument.type().getSimpleName() + " parameter (" + Describe.parameter(method, index)
                        + " again); " + annotation + " allows at most one", section);
            }
        }
        return Argument.of(source, method.getParameterTypes()[index]);
    }

    /**
     * A handle of type {@code (Object, Object[])Object} for an instance method: receiver, then the arguments spread
     * from the array; primitives are boxed and unboxed, void returns null.
     */
    private MethodHandle handle(Method method) throws DeploymentException {
        MethodType type = MethodType.methodType(method.getReturnType(), method.getParameterTypes());
        MethodHandle handle;
        try {
            // Resolved through the endpoint class: a public method inherited from a non-public superclass is
            // reachable this way, and the method is known not to be overridden below its declaring class.
            handle = MethodHandles.publicLookup().findVirtual(endpointClass, method.getName(), type);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            try {
                method.setAccessible(true); // e.g. a public method of a client endpoint class that is not public
                handle = MethodHandles.lookup().unreflect(method);
            } catch (IllegalAccessException | RuntimeException e2) {
                DeploymentException error = Describe.methodError(endpointClass, method,
                        "is not accessible to the WebSocket implementation: " + e2.getMessage(), "§4.1, §4.2");
                error.addSuppressed(e);
                throw error;
            }
        }
        return handle.asType(handle.type().generic()).asSpreader(Object[].class, method.getParameterCount());
    }
}
