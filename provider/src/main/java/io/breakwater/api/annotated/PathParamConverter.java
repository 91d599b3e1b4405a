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
     * @return the converted value; null for a String when {@code raw} is null
     * @throws DecodeException when the segment cannot be converted (WSC-4.3-6), or when a parameter other than a
     *                         String or a boolean has no segment at all
     */
    static Object convert(String name, String raw, Class<?> type) throws DecodeException {
        if (type == String.class) {
            return raw; // WSC-4.3-4, and null when the name is not in the path (§4.3)
        }
        Class<?> box = Primitives.box(type);
        if (raw == null && box != Boolean.class) {
            // No segment of that name: WSC-4.3-5 builds the value as the type's String constructor would,
            // given null. new Boolean(null) is false (below); the other constructors throw, which is a
            // segment that "cannot be decoded appropriately" (WSC-4.3-6).
            throw new DecodeException((String) null, "Path parameter '" + name
                    + "' is not in the request path; no value for the " + type.getName() + " parameter");
        }
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
                return Boolean.valueOf(raw); // as new Boolean(String): "true" in any case, else false (null too)
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
