package io.breakwater.api.annotated;

import jakarta.websocket.Decoder;
import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each configured decoder produces: for every {@code Decoder.Text}, {@code Decoder.TextStream},
 * {@code Decoder.Binary} or {@code Decoder.BinaryStream} a decoder class implements, the class its type argument
 * resolves to through the class hierarchy. Used at deployment to decide whether an {@code @OnMessage} parameter of a
 * non built-in type can be decoded, and from which native message type (WebSocket 2.2 §4.1.3, §4.2.2, §4.7).
 */
final class DecoderTypes {

    /** One decoder interface implemented by a decoder class. */
    record Entry(Class<? extends Decoder> decoder, Class<?> decoderInterface, MessageKind kind, Class<?> decodedType) {
    }

    private static final List<Class<?>> TEXT = List.of(Decoder.Text.class, Decoder.TextStream.class);
    private static final List<Class<?>> BINARY = List.of(Decoder.Binary.class, Decoder.BinaryStream.class);

    private DecoderTypes() {
    }

    /** The entries of all decoders, in list order (the spec uses the first appropriate decoder, §4.2.2). */
    static List<Entry> of(List<Class<? extends Decoder>> decoders) {
        List<Entry> entries = new ArrayList<>();
        for (Class<? extends Decoder> decoder : decoders) {
            for (Class<?> iface : TEXT) {
                if (iface.isAssignableFrom(decoder)) {
                    entries.add(new Entry(decoder, iface, MessageKind.TEXT, decodedType(decoder, iface)));
                }
            }
            for (Class<?> iface : BINARY) {
                if (iface.isAssignableFrom(decoder)) {
                    entries.add(new Entry(decoder, iface, MessageKind.BINARY, decodedType(decoder, iface)));
                }
            }
        }
        return List.copyOf(entries);
    }

    /**
     * The class {@code decoderClass} binds the single type parameter of {@code decoderInterface} to; Object when it
     * implements the interface raw or leaves the variable unbound.
     */
    static Class<?> decodedType(Class<?> decoderClass, Class<?> decoderInterface) {
        Type found = find(decoderClass, decoderInterface, Map.of());
        return found == null ? Object.class : erase(found);
    }

    /**
     * Walks from {@code type} up to {@code target}, substituting type variables on the way; returns the (possibly
     * still variable) type argument of {@code target}, or null when {@code target} is not above {@code type}.
     */
    private static Type find(Type type, Class<?> target, Map<TypeVariable<?>, Type> outer) {
        Class<?> raw;
        Map<TypeVariable<?>, Type> own = new HashMap<>();
        if (type instanceof Class<?> c) {
            raw = c;
        } else if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            raw = c;
            TypeVariable<?>[] variables = c.getTypeParameters();
            Type[] arguments = p.getActualTypeArguments();
            for (int i = 0; i < variables.length && i < arguments.length; i++) {
                Type argument = arguments[i];
                own.put(variables[i], argument instanceof TypeVariable<?> v ? outer.getOrDefault(v, v) : argument);
            }
        } else {
            return null;
        }
        if (raw == target) {
            return own.getOrDefault(target.getTypeParameters()[0], Object.class);
        }
        if (!target.isAssignableFrom(raw)) {
            return null;
        }
        List<Type> supertypes = new ArrayList<>(List.of(raw.getGenericInterfaces()));
        if (raw.getGenericSuperclass() != null) {
            supertypes.add(raw.getGenericSuperclass());
        }
        for (Type supertype : supertypes) {
            Type result = find(supertype, target, own);
            if (result != null) {
                return result;
            }
        }
        return null;
    }

    /** The class a type stands for at run time. */
    static Class<?> erase(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        } else if (type instanceof ParameterizedType p) {
            return erase(p.getRawType());
        } else if (type instanceof GenericArrayType g) {
            return Array.newInstance(erase(g.getGenericComponentType()), 0).getClass();
        } else if (type instanceof TypeVariable<?> v) {
            return erase(v.getBounds()[0]);
        } else if (type instanceof WildcardType w) {
            return erase(w.getUpperBounds()[0]);
        }
        return Object.class;
    }
}
