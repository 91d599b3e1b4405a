package io.breakwater.conformance.wire;

/** RFC 6455 §5.2 opcodes, and the rules about them that the suite needs in one place. */
public final class Opcode {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private Opcode() {
    }

    /** §5.5: opcodes with the high bit set are control frames. */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** §5.2: 0x3-0x7 and 0xB-0xF are reserved. */
    public static boolean isReserved(int opcode) {
        return (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB;
    }

    public static String name(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "CONTINUATION";
            case TEXT -> "TEXT";
            case BINARY -> "BINARY";
            case CLOSE -> "CLOSE";
            case PING -> "PING";
            case PONG -> "PONG";
            default -> "RESERVED-0x" + Integer.toHexString(opcode);
        };
    }
}
