package io.breakwater.conformance.wire;

import java.nio.charset.StandardCharsets;

/**
 * One RFC 6455 §5.2 frame as the suite sends or saw it. {@code rsv} holds RSV1..RSV3 as the bits
 * 4, 2, 1; {@code mask} is the masking key that was on the wire, or null for an unmasked frame.
 * The payload is always the unmasked application data.
 */
public record Frame(boolean fin, int rsv, int opcode, byte[] payload, byte[] mask) {

    public static Frame of(int opcode, byte[] payload) {
        return new Frame(true, 0, opcode, payload, null);
    }

    public static Frame text(String text) {
        return of(Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public Frame withFin(boolean value) {
        return new Frame(value, rsv, opcode, payload, mask);
    }

    public Frame withRsv(int value) {
        return new Frame(fin, value, opcode, payload, mask);
    }

    public Frame withMask(byte[] value) {
        return new Frame(fin, rsv, opcode, payload, value);
    }

    /** The log line: what Autobahn's wire log shows for a frame. */
    public String describe() {
        return "OPCODE=" + Opcode.name(opcode) + ", FIN=" + fin + ", RSV=" + rsv + ", PAYLOAD-LEN=" + payload.length
                + ", MASK=" + (mask == null ? "none" : Hex.of(mask, 4)) + "\n    " + Hex.of(payload, 64);
    }
}
