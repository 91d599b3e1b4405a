package io.breakwater.handshake;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header: an extension name and its parameters,
 * in the order they were written (RFC 6455 §9.1).
 */
public record ExtensionSpec(String name, List<Parameter> parameters) {

    public ExtensionSpec {
        Objects.requireNonNull(name, "name");
        parameters = List.copyOf(parameters);
    }

    public ExtensionSpec(String name) {
        this(name, List.of());
    }

    /** The first parameter of that name, if any. */
    public Optional<Parameter> parameter(String parameterName) {
        for (Parameter parameter : parameters) {
            if (parameter.name().equals(parameterName)) {
                return Optional.of(parameter);
            }
        }
        return Optional.empty();
    }

    /** This extension as it is written in the header, e.g. {@code permessage-deflate; client_max_window_bits=10}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(name);
        for (Parameter parameter : parameters) {
            text.append("; ").append(parameter);
        }
        return text.toString();
    }

    /**
     * A parameter: a name, and a value or none ({@code null}). A value given as a quoted string is
     * held unquoted.
     */
    public record Parameter(String name, String value) {
        public Parameter {
            Objects.requireNonNull(name, "name");
        }

        public static Parameter flag(String name) {
            return new Parameter(name, null);
        }

        public boolean hasValue() {
            return value != null;
        }

        @Override
        public String toString() {
            return value == null ? name : name + "=" + value;
        }
    }
}
