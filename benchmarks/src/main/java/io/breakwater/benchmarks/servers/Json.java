package io.breakwater.benchmarks.servers;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a tree of maps (insertion-ordered, string keys), lists, strings, numbers, booleans and nulls as
 * indented JSON (RFC 8259). Numbers that are not finite, which JSON cannot hold, become null.
 */
final class Json {

    private static final String INDENT = "  ";

    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.append('\n').toString();
    }

    private static void write(Object value, StringBuilder out, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            string(text, out);
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (!Double.isFinite(number)) {
                out.append("null");
            } else if (number == Math.rint(number) && Math.abs(number) < 1e15) {
                out.append((long) number);
            } else {
                out.append(number);
            }
        } else if (value instanceof Number) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            container(map.entrySet().iterator(), '{', '}', out, depth, (entry, into) -> {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) entry;
                string(String.valueOf(e.getKey()), into);
                into.append(": ");
                write(e.getValue(), into, depth + 1);
            });
        } else if (value instanceof List<?> list) {
            container(list.iterator(), '[', ']', out, depth, (item, into) -> write(item, into, depth + 1));
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private interface Element {
        void write(Object element, StringBuilder out);
    }

    private static void container(Iterator<?> elements, char open, char close, StringBuilder out, int depth,
                                  Element element) {
        out.append(open);
        if (!elements.hasNext()) {
            out.append(close);
            return;
        }
        while (elements.hasNext()) {
            out.append('\n').append(INDENT.repeat(depth + 1));
            element.write(elements.next(), out);
            if (elements.hasNext()) {
                out.append(',');
            }
        }
        out.append('\n').append(INDENT.repeat(depth)).append(close);
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
