package io.breakwater.api;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoders of one session (WebSocket 2.2 §5.2.2), created and initialised when it opens and
 * destroyed when it closes, and the conversions of whole messages into the types that message
 * handlers ask for: the built-in ones (String, Reader, primitives and boxes for text; ByteBuffer,
 * byte[] and InputStream for binary) and those the configured decoders provide.
 */
final class Decoders {

    /** Turns a whole text message into the object a handler receives. */
    @FunctionalInterface
    interface TextConversion {
        Object convert(String message) throws DecodeException, IOException;
    }

    /** Turns a whole binary message into the object a handler receives. */
    @FunctionalInterface
    interface BinaryConversion {
        Object convert(ByteBuffer message) throws DecodeException, IOException;
    }

    private final List<TypedDecoder> decoders;

    private Decoders(List<TypedDecoder> decoders) {
        this.decoders = decoders;
    }

    /**
     * Creates and initialises one instance of each decoder class.
     *
     * @throws IllegalArgumentException when a class cannot be instantiated or is not a usable decoder
     */
    static Decoders create(List<Class<? extends Decoder>> classes, EndpointConfig config) {
        List<TypedDecoder> decoders = new ArrayList<>();
        for (Class<? extends Decoder> type : classes) {
            Decoder decoder = Instances.create(type, "decoder");
            decoder.init(config);
            decoders.add(TypedDecoder.of(decoder));
        }
        return new Decoders(decoders);
    }

    static Decoders none() {
        return new Decoders(List.of());
    }

    /**
     * The conversion of text messages into {@code type}, or null when none exists. A configured decoder
     * for the type comes before the built-in conversion: the application asked for it (WSC-3-1; the
     * TCK's session11 tests decode to Reader through their own decoder).
     */
    TextConversion forText(Class<?> type) {
        List<TypedDecoder> candidates = candidates(type, true);
        if (!candidates.isEmpty()) {
            return message -> {
                for (TypedDecoder candidate : candidates) {
                    if (candidate.decoder() instanceof Decoder.Text<?> text) {
                        if (text.willDecode(message)) {
                            return text.decode(message);
                        }
                    } else {
                        return ((Decoder.TextStream<?>) candidate.decoder()).decode(new StringReader(message));
                    }
                }
                throw new DecodeException(message, "no decoder for " + type.getName() + " accepted the message");
            };
        }
        if (type == String.class) {
            return message -> message;
        }
        if (type == Reader.class) {
            return StringReader::new;
        }
        if (PrimitiveText.isPrimitiveOrBox(type)) {
            return message -> {
                try {
                    return PrimitiveText.parse(message, type);
                } catch (IllegalArgumentException e) {
                    throw new DecodeException(message, "cannot convert the message to " + type.getSimpleName(), e);
                }
            };
        }
        return null;
    }

    /**
     * The conversion of binary messages into {@code type}, or null when none exists; as for text, a
     * configured decoder comes before the built-in conversion.
     */
    BinaryConversion forBinary(Class<?> type) {
        List<TypedDecoder> candidates = candidates(type, false);
        if (!candidates.isEmpty()) {
            return message -> {
                for (TypedDecoder candidate : candidates) {
                    ByteBuffer view = message.duplicate(); // each decoder sees the whole message
                    if (candidate.decoder() instanceof Decoder.Binary<?> binary) {
                        if (binary.willDecode(view)) {
                            return binary.decode(message.duplicate());
                        }
                    } else {
                        return ((Decoder.BinaryStream<?>) candidate.decoder()).decode(inputStream(view));
                    }
                }
                throw new DecodeException(message, "no decoder for " + type.getName() + " accepted the message");
            };
        }
        if (type == ByteBuffer.class) {
            return message -> message;
        }
        if (type == byte[].class) {
            return message -> {
                byte[] bytes = new byte[message.remaining()];
                message.get(bytes);
                return bytes;
            };
        }
        if (type == InputStream.class) {
            return Decoders::inputStream;
        }
        return null;
    }

    private static InputStream inputStream(ByteBuffer message) {
        return new ByteArrayInputStream(message.array(), message.arrayOffset() + message.position(), message.remaining());
    }

    /** Whether some configured decoder produces {@code type} from text ({@code text}) or binary messages. */
    boolean decodes(Class<?> type, boolean text) {
        return !candidates(type, text).isEmpty();
    }

    /** Calls {@link Decoder#destroy()} on each decoder, once. */
    void destroy() {
        for (TypedDecoder decoder : decoders) {
            decoder.decoder().destroy();
        }
    }

    /** The decoders, in the order configured, whose product is a {@code type}. */
    private List<TypedDecoder> candidates(Class<?> type, boolean text) {
        List<TypedDecoder> candidates = new ArrayList<>();
        for (TypedDecoder decoder : decoders) {
            if (decoder.text() == text && type.isAssignableFrom(decoder.produces())) {
                candidates.add(decoder);
            }
        }
        return candidates;
    }

    /** A decoder with the type it produces and whether it reads text. */
    private record TypedDecoder(Decoder decoder, Class<?> produces, boolean text) {
        static TypedDecoder of(Decoder decoder) {
            Class<?> type = decoder.getClass();
            for (Class<?> kind : List.of(Decoder.Text.class, Decoder.TextStream.class,
                    Decoder.Binary.class, Decoder.BinaryStream.class)) {
                if (kind.isInstance(decoder)) {
                    Class<?> produces = GenericTypes.typeArgument(type, kind);
                    if (produces == null) {
                        throw new IllegalArgumentException("decoder " + type.getName()
                                + " does not say which type it decodes to (" + kind.getSimpleName() + "<T>)");
                    }
                    boolean text = kind == Decoder.Text.class || kind == Decoder.TextStream.class;
                    return new TypedDecoder(decoder, produces, text);
                }
            }
            throw new IllegalArgumentException("decoder " + type.getName()
                    + " implements none of Decoder.Text, TextStream, Binary or BinaryStream");
        }
    }
}
