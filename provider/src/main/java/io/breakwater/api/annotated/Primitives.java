package io.breakwater.api.annotated;

import java.util.Map;

/** Java primitive types and their boxes, as the annotations chapter uses them (WebSocket 2.2 §4.3, §4.7). */
final class Primitives {

    private static final Map<Class<?>, Class<?>> BOXES = Map.of(
            boolean.class, Boolean.class,
            byte.class, Byte.class,
            char.class, Character.class,
            short.class, Short.class,
            int.class, Integer.class,
            long.class, Long.class,
            float.class, Float.class,
            double.class, Double.class);

    private Primitives() {
    }

    /** The box of a primitive type; any other type unchanged. */
    static Class<?> box(Class<?> type) {
        return type.isPrimitive() ? BOXES.getOrDefault(type, type) : type;
    }

    /** Whether the type is one of the eight primitives ({@code void} excluded) or one of their boxes. */
    static boolean isPrimitiveOrBox(Class<?> type) {
        return BOXES.containsKey(type) || BOXES.containsValue(type);
    }
}
