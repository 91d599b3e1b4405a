package io.breakwater.fuzz;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string with value equality, so that recorded events compare with {@code equals}. */
record Bytes(byte[] value) {

    Bytes {
        value = value.clone();
    }

    /** The bytes between the buffer's position and limit, which are left unchanged. */
    static Bytes of(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(buffer.position(), copy);
        return new Bytes(copy);
    }

    int length() {
        return value.length;
    }

    boolean startsWith(Bytes prefix) {
        return prefix.value.length <= value.length
                && Arrays.equals(value, 0, prefix.value.length, prefix.value, 0, prefix.value.length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes that && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    /** Hex, cut short: a fuzzer's finding should stay readable. */
    @Override
    public String toString() {
        String hex = HexFormat.of().formatHex(value, 0, Math.min(value.length, 48));
        return value.length + " bytes [" + hex + (value.length > 48 ? "...]" : "]");
    }
}
