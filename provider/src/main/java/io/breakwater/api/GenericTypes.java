package io.breakwater.api;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds the actual type argument a class gives a generic interface, through any number of
 * superclasses and superinterfaces: the {@code T} of a {@code MessageHandler.Whole<T>}, a
 * {@code Decoder.Text<T>} or an {@code Encoder.Binary<T>}, which the container needs to know which
 * messages a handler, decoder or encoder is for.
 */
final class GenericTypes {

    private GenericTypes() {
    }

    /**
     * The class bound to the single type parameter of {@code generic} by {@code type}, or null when it
     * cannot be known (a raw type, or a type variable left open, as with a lambda).
     */
    static Class<?> typeArgument(Class<?> type, Class<?> generic) {
        return resolve(type, generic, new HashMap<>());
    }

    private static Class<?> resolve(Type type, Class<?> generic, Map<TypeVariable<?>, Type> bindings) {
        Class<?> raw = rawClass(type, bindings);
        if (raw == null) {
            return null;
        }
        if (type instanceof ParameterizedType parameterized) {
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] arguments = parameterized.getActualTypeArguments();
            for (int i = 0; i < variables.length; i++) {
                bindings.put(variables[i], arguments[i]);
            }
            if (raw == generic) {
                return rawClass(arguments[0], bindings);
            }
        } else if (raw == generic) {
            return null; // implemented raw: no type argument
        }
        for (Type superinterface : raw.getGenericInterfaces()) {
            Class<?> found = resolve(superinterface, generic, new HashMap<>(bindings));
            if (found != null) {
                return found;
            }
        }
        Type superclass = raw.getGenericSuperclass();
        return superclass == null ? null : resolve(superclass, generic, bindings);
    }

    private static Class<?> rawClass(Type type, Map<TypeVariable<?>, Type> bindings) {
        if (type instanceof Class<?> plain) {
            return plain;
        }
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        if (type instanceof GenericArrayType array) {
            Class<?> component = rawClass(array.getGenericComponentType(), bindings);
            return component == null ? null : component.arrayType();
        }
        if (type instanceof TypeVariable<?> variable && bindings.containsKey(variable)) {
            return rawClass(bindings.get(variable), bindings);
        }
        return null;
    }
}
