package io.breakwater.api;

import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;
import jakarta.websocket.EndpointConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The encoders of one session (WebSocket 2.2 §5.2.2), created and initialised when it opens and
 * destroyed when it closes, and the conversion of the objects given to {@code sendObject} into
 * messages: Strings, primitives and boxes as text, ByteBuffers and byte arrays as binary, anything
 * else through the first configured encoder for its class.
 */
final class Encoders {

    /** An object ready to send: a text or a binary message. */
    record Encoded(String text, ByteBuffer binary) {
        boolean isText() {
            return text != null;
        }
    }

    private final List<TypedEncoder> encoders;

    private Encoders(List<TypedEncoder> encoders) {
        this.encoders = encoders;
    }

    /** Creates and initialises one instance of each encoder class. */
    static Encoders create(List<Class<? extends Encoder>> classes, EndpointConfig config) {
        List<TypedEncoder> encoders = new ArrayList<>();
        for (Class<? extends Encoder> type : classes) {
            Encoder encoder = Instances.create(type, "encoder");
            encoder.init(config);
            encoders.add(TypedEncoder.of(encoder));
        }
        return new Encoders(encoders);
    }

    static Encoders none() {
        return new Encoders(List.of());
    }

    /**
     * Encodes {@code object} as a message.
     *
     * @throws EncodeException when no encoder takes its class, or the encoder fails
     */
    Encoded encode(Object object) throws EncodeException, IOException {
        if (object == null) {
            throw new IllegalArgumentException("cannot send null");
        }
        for (TypedEncoder typed : encoders) {
            if (typed.accepts().isInstance(object)) {
                return typed.encode(object);
            }
        }
        // Built-in conversions come after the application's encoders, which may override them.
        if (object instanceof String text) {
            return new Encoded(text, null);
        }
        if (PrimitiveText.isPrimitiveOrBox(object.getClass())) {
            return new Encoded(String.valueOf(object), null);
        }
        if (object instanceof ByteBuffer binary) {
            return new Encoded(null, binary);
        }
        if (object instanceof byte[] bytes) {
            return new Encoded(null, ByteBuffer.wrap(bytes));
        }
        throw new EncodeException(object, "no encoder for " + object.getClass().getName());
    }

    void destroy() {
        for (TypedEncoder encoder : encoders) {
            encoder.encoder().destroy();
        }
    }

    /** An encoder with the class it takes. */
    private record TypedEncoder(Encoder encoder, Class<?> accepts) {
        static TypedEncoder of(Encoder encoder) {
            for (Class<?> kind : List.of(Encoder.Text.class, Encoder.TextStream.class,
                    Encoder.Binary.class, Encoder.BinaryStream.class)) {
                if (kind.isInstance(encoder)) {
                    Class<?> accepts = GenericTypes.typeArgument(encoder.getClass(), kind);
                    if (accepts == null) {
                        throw new IllegalArgumentException("encoder " + encoder.getClass().getName()
                                + " does not say which type it encodes (" + kind.getSimpleName() + "<T>)");
                    }
                    return new TypedEncoder(encoder, PrimitiveText.box(accepts));
                }
            }
            throw new IllegalArgumentException("encoder " + encoder.getClass().getName()
                    + " implements none of Encoder.Text, TextStream, Binary or BinaryStream");
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        Encoded encode(Object object) throws EncodeException, IOException {
            if (encoder instanceof Encoder.Text text) {
                return new Encoded(text.encode(object), null);
            }
            if (encoder instanceof Encoder.TextStream stream) {
                StringWriter writer = new StringWriter();
                stream.encode(object, writer);
                return new Encoded(writer.toString(), null);
            }
            if (encoder instanceof Encoder.Binary binary) {
                return new Encoded(null, binary.encode(object));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ((Encoder.BinaryStream) encoder).encode(object, bytes);
            return new Encoded(null, ByteBuffer.wrap(bytes.toByteArray()));
        }
    }
}
