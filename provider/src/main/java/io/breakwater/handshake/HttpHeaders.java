package io.breakwater.handshake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The header fields of an HTTP message: field lines in the order they were received or added, looked up
 * by name ASCII-case-insensitively (RFC 9110 §5.1). A name may occur on several lines; {@link #all} gives
 * every line's value, {@link #elements} splits comma-separated list values (RFC 9110 §5.6.1).
 *
 * <p>Names must be tokens and values may hold only HTAB, SP, visible ASCII and obs-text (RFC 9110 §5.5),
 * so that a head written from these fields cannot be split or smuggled. Instances are mutable and not
 * thread-safe.
 */
public final class HttpHeaders {

    /** One field line, with the name as it was written. */
    public record Field(String name, String value) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (!ExtensionHeader.isToken(name)) {
                throw new IllegalArgumentException("header name is not a token: " + Ascii.excerpt(name));
            }
            for (int i = 0; i < value.length(); i++) {
                if (!Ascii.isFieldValueChar(value.charAt(i))) {
                    throw new IllegalArgumentException(String.format(
                            "character U+%04X not allowed in the value of %s", (int) value.charAt(i), name));
                }
            }
        }

        /** Whether this line's name is {@code otherName}, ignoring ASCII case. */
        public boolean hasName(String otherName) {
            return Ascii.equalsIgnoreCase(name, otherName);
        }
    }

    private final List<Field> fields = new ArrayList<>();

    /** Empty headers. */
    public HttpHeaders() {
    }

    /** Headers from alternating names and values: {@code of("Host", "example.com", "Origin", "null")}. */
    public static HttpHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected name/value pairs");
        }
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    /** An independent copy. */
    public HttpHeaders copy() {
        HttpHeaders copy = new HttpHeaders();
        copy.fields.addAll(fields);
        return copy;
    }

    /**
     * Appends a field line.
     *
     * @throws IllegalArgumentException if the name is not a token or the value holds a forbidden character
     */
    public HttpHeaders add(String name, String value) {
        fields.add(new Field(name, value));
        return this;
    }

    /** Appends every line of {@code other}, in order. */
    public HttpHeaders addAll(HttpHeaders other) {
        fields.addAll(other.fields);
        return this;
    }

    /** Replaces every line named {@code name} by one line, placed where the first of them was (or last). */
    public HttpHeaders set(String name, String value) {
        Field field = new Field(name, value);
        int index = indexOf(name);
        remove(name);
        fields.add(index < 0 ? fields.size() : index, field);
        return this;
    }

    /** Removes every line named {@code name}; whether there was one. */
    public boolean remove(String name) {
        return fields.removeIf(field -> field.hasName(name));
    }

    /** The value of the first line named {@code name}, or {@code null} when there is none. */
    public String first(String name) {
        int index = indexOf(name);
        return index < 0 ? null : fields.get(index).value();
    }

    /** The values of every line named {@code name}, in order; empty when there is none. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (Field field : fields) {
            if (field.hasName(name)) {
                values.add(field.value());
            }
        }
        return values;
    }

    /** Whether at least one line is named {@code name}. */
    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    /**
     * The list elements of every line named {@code name}, as if the lines were joined with commas
     * (RFC 9110 §5.3), split by {@link #splitList}.
     */
    public List<String> elements(String name) {
        List<String> elements = new ArrayList<>();
        for (Field field : fields) {
            if (field.hasName(name)) {
                elements.addAll(splitList(field.value()));
            }
        }
        return elements;
    }

    /**
     * Whether a list element of the lines named {@code name} is {@code token}, ignoring ASCII case, as
     * for {@code Connection: keep-alive, Upgrade} (RFC 9110 §7.6.1).
     */
    public boolean containsToken(String name, String token) {
        for (String element : elements(name)) {
            if (Ascii.equalsIgnoreCase(element, token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Splits a list-based field value {@code #element} at its commas (RFC 9110 §5.6.1): elements are
     * trimmed of optional white space and empty elements are dropped. Commas inside a quoted-string
     * (RFC 9110 §5.6.4) do not split; such an element keeps its quotes.
     */
    public static List<String> splitList(String value) {
        List<String> elements = new ArrayList<>();
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++; // quoted-pair: the next character is taken literally
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                addElement(elements, value.substring(start, i));
                start = i + 1;
            }
        }
        addElement(elements, value.substring(start));
        return elements;
    }

    private static void addElement(List<String> elements, String element) {
        String trimmed = Ascii.trimWhitespace(element);
        if (!trimmed.isEmpty()) {
            elements.add(trimmed);
        }
    }

    /** Every field line, in order (unmodifiable). */
    public List<Field> fields() {
        return Collections.unmodifiableList(fields);
    }

    /** The number of field lines. */
    public int size() {
        return fields.size();
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** Appends each line as {@code name: value CRLF} (RFC 9112 §5). */
    void appendTo(StringBuilder head) {
        for (Field field : fields) {
            head.append(field.name()).append(": ").append(field.value()).append("\r\n");
        }
    }

    private int indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).hasName(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Equal when both hold the same lines in the same order, names compared ignoring ASCII case. */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof HttpHeaders that) || that.fields.size() != fields.size()) {
            return false;
        }
        for (int i = 0; i < fields.size(); i++) {
            Field mine = fields.get(i);
            Field theirs = that.fields.get(i);
            if (!mine.hasName(theirs.name()) || !mine.value().equals(theirs.value())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (Field field : fields) {
            hash = 31 * hash + Ascii.toLowerCase(field.name()).hashCode();
            hash = 31 * hash + field.value().hashCode();
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        appendTo(text);
        return text.toString();
    }
}
