package io.breakwater.api;

import java.util.Map;
import java.util.function.Function;

/**
 * The built-in conversion of text messages to Java primitives and their boxes, which the
 * specification requires of every container (WebSocket 2.2 §5.2.2 for decoders, §4.7 for
 * {@code @OnMessage} parameters), and of such values back to text.
 */
final class PrimitiveText {

    private static final Map<Class<?>, Function<String, Object>> PARSERS = Map.of(
            Boolean.class, PrimitiveText::parseBoolean,
            Byte.class, Byte::valueOf,
            Short.class, Short::valueOf,
            Integer.class, Integer::valueOf,
            Long.class, Long::valueOf,
            Float.class, Float::valueOf,
            Double.class, Double::valueOf,
            Character.class, PrimitiveText::parseCharacter);

    private static final Map<Class<?>, Class<?>> BOXES = Map.of(
            boolean.class, Boolean.class, byte.class, Byte.class, short.class, Short.class,
            int.class, Integer.class, long.class, Long.class, float.class, Float.class,
            double.class, Double.class, char.class, Character.class);

    private PrimitiveText() {
    }

    /** Whether {@code type} is a primitive or a box this class converts. */
    static boolean isPrimitiveOrBox(Class<?> type) {
        return PARSERS.containsKey(box(type));
    }

    /** The box of a primitive type, or the type itself. */
    static Class<?> box(Class<?> type) {
        return BOXES.getOrDefault(type, type);
    }

    /**
     * Parses {@code text} as a value of {@code type} (a primitive or box).
     *
     * @throws IllegalArgumentException when the text is not such a value
     */
    static Object parse(String text, Class<?> type) {
        Function<String, Object> parser = PARSERS.get(box(type));
        if (parser == null) {
            throw new IllegalArgumentException("not a primitive type: " + type.getName());
        }
        return parser.apply(text);
    }

    private static Object parseBoolean(String text) {
        // Boolean.valueOf reads anything but "true" as false; a message is either one word or an error.
        if (text.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("not a boolean: " + text);
    }

    private static Object parseCharacter(String text) {
        // Character has no String constructor and the specification no rule; the TCK
        // (clientendpointonmessage echoCharTest) answers "Echar" to a char parameter and expects 'E',
        // which is also what Tomcat does: the first char of the message.
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an empty message is not a character");
        }
        return text.charAt(0);
    }
}
