package io.breakwater.api.annotated;

import java.lang.reflect.Method;

/**
 * A validated {@code @OnMessage} method of an annotated endpoint, with its call prepared (WebSocket 2.2 §4.7 and the
 * {@link jakarta.websocket.OnMessage} API documentation). Immutable.
 *
 * <p>The adapter registers one handler per message method with
 * {@code Session.addMessageHandler(registeredType(), ...)}: a {@code MessageHandler.Partial} when {@link #partial()},
 * otherwise a {@code MessageHandler.Whole}.
 */
public final class MessageMethod {

    private final MethodInvoker invoker;
    private final MessageKind kind;
    private final Class<?> registeredType;
    private final boolean partial;
    private final boolean decoded;
    private final long maxMessageSize;

    MessageMethod(MethodInvoker invoker, MessageKind kind, Class<?> registeredType, boolean partial, boolean decoded,
            long maxMessageSize) {
        this.invoker = invoker;
        this.kind = kind;
        this.registeredType = registeredType;
        this.partial = partial;
        this.decoded = decoded;
        this.maxMessageSize = maxMessageSize;
    }

    /** The annotated method, possibly declared by a superclass of the endpoint class (§4.8). */
    public Method method() {
        return invoker.method();
    }

    /** The native message type this method handles. */
    public MessageKind kind() {
        return kind;
    }

    /**
     * The class the session is asked to deliver: String, Reader, a primitive's box (for {@code int} parameters,
     * {@code Integer.class}), ByteBuffer, byte[], InputStream, PongMessage, or the parameter type for decoded messages.
     */
    public Class<?> registeredType() {
        return registeredType;
    }

    /** Whether the method takes the message in parts, with a {@code boolean last} parameter. */
    public boolean partial() {
        return partial;
    }

    /** Whether the message parameter is a type only a configured decoder produces. */
    public boolean decoded() {
        return decoded;
    }

    /**
     * The {@code @OnMessage(maxMessageSize)} to apply to the session's text or binary buffer size, or -1 for none: also
     * -1 for partial, stream (Reader, InputStream) and pong methods, to which the attribute does not apply.
     */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    MethodInvoker invoker() {
        return invoker;
    }

    @Override
    public String toString() {
        return kind + (partial ? " partial " : " ") + registeredType.getSimpleName() + " -> " + invoker;
    }
}
