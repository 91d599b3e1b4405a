package io.breakwater.api.annotated;

import jakarta.websocket.DecodeException;

/**
 * Converts a path segment to the type of a {@code @PathParam} parameter (WebSocket 2.2 §4.3).
 *
 * <p>Boxes are built with the same result as their public one-argument String constructor (WSC-4.3-5): that is
 * {@code valueOf(String)} / {@code parseXxx(String)} for the numbers and {@code Boolean.valueOf(String)} for
 * booleans. {@link Character} has no such constructor; a segment of exactly one char converts to it.
 */
final class PathParamConverter {

    private PathParamConverter() {
    }

    /**
     * @param name the path parameter name, for messages
     * @param raw  the path segment, or null when the request path has no variable of that name
     * @param type String, a primitive or a box (checked at deployment)
     * @return the converted value; null for String or a box when {@code raw} is null
     * @throws DecodeException when the segment cannot be converted (WSC-4.3-6), or when a primitive parameter has no
     *                         segment at all
     */
    static Object convert(String name, String raw, Class<?> type) throws DecodeException {
        if (type == String.class) {
            return raw; // WSC-4.3-4, and null when the name is not in the path (§4.3)
        }
        if (raw == null) {
            if (type.isPrimitive()) {
                // §4.3 only says String parameters become null; a primitive has no null, so the value
                // "cannot be decoded appropriately" (WSC-4.3-6).
                throw new DecodeException((String) null, "Path parameter '" + name
                        + "' is not in the request path; no value for the " + type.getName() + " parameter");
            }
            return null;
        }
        Class<?> box = Primitives.box(type);
        try {
            if (box == Integer.class) {
                return Integer.valueOf(raw);
            } else if (box == Long.class) {
                return Long.valueOf(raw);
            } else if (box == Short.class) {
                return Short.valueOf(raw);
            } else if (box == Byte.class) {
                return Byte.valueOf(raw);
            } else if (box == Double.class) {
                return Double.valueOf(raw);
            } else if (box == Float.class) {
                return Float.valueOf(raw);
            } else if (box == Boolean.class) {
                return Boolean.valueOf(raw); // as new Boolean(String): "true" in any case, else false
            } else if (box == Character.class) {
                if (raw.length() == 1) {
                    return raw.charAt(0);
                }
                throw new DecodeException(raw, failure(name, raw, type) + ": not exactly one character");
            }
        } catch (NumberFormatException e) {
            throw new DecodeException(raw, failure(name, raw, type), e);
        }
        throw new IllegalStateException("not a @PathParam type: " + type); // excluded at deployment
    }

    private static String failure(String name, String raw, Class<?> type) {
        return "Cannot convert path parameter '" + name + "' value '" + raw + "' to " + type.getName();
    }
}
