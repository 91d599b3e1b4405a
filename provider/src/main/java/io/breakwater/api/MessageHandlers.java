package io.breakwater.api;

import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The message handlers of one session: at most one for each native message type, text, binary and
 * pong (WebSocket 2.2 §2.1.3, {@code Session.addMessageHandler}). Application threads add and remove
 * them while the I/O thread looks them up as messages begin.
 */
final class MessageHandlers {

    /** The native message types. */
    enum Kind {
        TEXT,
        BINARY,
        PONG
    }

    /** A handler, the type it takes, and whether it takes messages in parts. */
    record Registration(Kind kind, Class<?> type, MessageHandler handler, boolean partial) {
    }

    private final Decoders decoders;
    private final Map<Kind, Registration> registrations = new EnumMap<>(Kind.class);
    /** Called after every change, so that the session can adjust its message size limits. */
    private final Runnable onChange;

    MessageHandlers(Decoders decoders, Runnable onChange) {
        this.decoders = decoders;
        this.onChange = onChange;
    }

    /**
     * Adds a handler whose message type is read from its class's declaration of
     * {@code MessageHandler.Whole<T>} or {@code MessageHandler.Partial<T>}.
     *
     * @throws IllegalStateException when the type cannot be read (a lambda: use {@link #add(Class, MessageHandler, boolean)}),
     *                               is not one a handler can take, or a handler for its native type exists
     */
    void add(MessageHandler handler) {
        boolean partial = handler instanceof MessageHandler.Partial<?>;
        Class<?> generic = partial ? MessageHandler.Partial.class : MessageHandler.Whole.class;
        if (!partial && !(handler instanceof MessageHandler.Whole<?>)) {
            throw new IllegalStateException("a message handler implements MessageHandler.Whole or MessageHandler.Partial: "
                    + handler.getClass().getName());
        }
        Class<?> type = GenericTypes.typeArgument(handler.getClass(), generic);
        if (type == null) {
            throw new IllegalStateException("cannot tell which messages " + handler.getClass().getName()
                    + " takes; register it with addMessageHandler(Class, handler)");
        }
        add(type, handler, partial);
    }

    /** Adds a handler for messages of {@code type}; see {@link #add(MessageHandler)} for the rules. */
    void add(Class<?> type, MessageHandler handler, boolean partial) {
        if (type == null || handler == null) {
            throw new IllegalArgumentException("a message handler and its type are required");
        }
        Kind kind = partial ? partialKind(type) : wholeKind(type);
        synchronized (this) {
            if (registrations.containsKey(kind)) {
                throw new IllegalStateException("this session already has a message handler for "
                        + kind.name().toLowerCase() + " messages: " + registrations.get(kind).handler().getClass().getName());
            }
            registrations.put(kind, new Registration(kind, type, handler, partial));
        }
        onChange.run();
    }

    void remove(MessageHandler handler) {
        synchronized (this) {
            registrations.values().removeIf(registration -> registration.handler() == handler);
        }
        onChange.run();
    }

    synchronized Registration get(Kind kind) {
        return registrations.get(kind);
    }

    synchronized Set<MessageHandler> all() {
        Set<MessageHandler> handlers = new LinkedHashSet<>();
        registrations.values().forEach(registration -> handlers.add(registration.handler()));
        return Collections.unmodifiableSet(handlers);
    }

    /** §2.1.3: partial messages come as String (text) or ByteBuffer and byte[] (binary) only. */
    private static Kind partialKind(Class<?> type) {
        if (type == String.class) {
            return Kind.TEXT;
        }
        if (type == ByteBuffer.class || type == byte[].class) {
            return Kind.BINARY;
        }
        throw new IllegalStateException("a partial message handler takes String, ByteBuffer or byte[], not "
                + type.getName());
    }

    private Kind wholeKind(Class<?> type) {
        if (type == PongMessage.class) {
            return Kind.PONG;
        }
        if (type == String.class || type == Reader.class || PrimitiveText.isPrimitiveOrBox(type)
                || decoders.decodes(type, true)) {
            return Kind.TEXT;
        }
        if (type == ByteBuffer.class || type == byte[].class || type == InputStream.class
                || decoders.decodes(type, false)) {
            return Kind.BINARY;
        }
        throw new IllegalStateException("no decoder turns messages into " + type.getName()
                + "; configure one, or take String, Reader, a primitive, ByteBuffer, byte[], InputStream or PongMessage");
    }
}
