package io.breakwater.conformance.run;

import io.breakwater.conformance.wire.Hex;
import io.breakwater.conformance.wire.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Something the peer did that a case has an expectation about: a whole message, or a pong. */
public record Event(Kind kind, byte[] payload) {
    public enum Kind { TEXT, BINARY, PONG }

    public static Event text(String text) {
        return new Event(Kind.TEXT, Utf8.bytes(text));
    }

    public static Event text(byte[] utf8) {
        return new Event(Kind.TEXT, utf8);
    }

    public static Event binary(byte[] data) {
        return new Event(Kind.BINARY, data);
    }

    public static Event pong(byte[] data) {
        return new Event(Kind.PONG, data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Event event && event.kind == kind && Arrays.equals(event.payload, payload);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        String shown = kind == Kind.TEXT && payload.length <= 64
                ? '"' + new String(payload, StandardCharsets.UTF_8) + '"'
                : Hex.of(payload, 16);
        return kind.name().toLowerCase() + "(" + payload.length + " bytes: " + shown + ")";
    }
}
