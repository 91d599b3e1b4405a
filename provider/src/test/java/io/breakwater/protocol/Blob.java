package io.breakwater.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** An immutable byte string with value equality and a readable {@code toString}, for assertions on events. */
final class Blob {

    static final Blob EMPTY = new Blob(new byte[0]);

    private final byte[] bytes;

    private Blob(byte[] bytes) {
        this.bytes = bytes;
    }

    static Blob of(byte[] bytes) {
        return new Blob(bytes.clone());
    }

    /** Takes ownership of {@code bytes}, which the caller must not change afterwards. */
    static Blob owning(byte[] bytes) {
        return new Blob(bytes);
    }

    static Blob utf8(String text) {
        return new Blob(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Copies {@code buffer[position, limit)} without moving the buffer's position. */
    static Blob copyOf(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] copy = new byte[view.remaining()];
        view.get(copy);
        return new Blob(copy);
    }

    byte[] bytes() {
        return bytes.clone();
    }

    void writeTo(java.io.ByteArrayOutputStream out) {
        out.write(bytes, 0, bytes.length);
    }

    int length() {
        return bytes.length;
    }

    String utf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    boolean startsWith(Blob prefix) {
        return prefix.bytes.length <= bytes.length
                && Arrays.equals(bytes, 0, prefix.bytes.length, prefix.bytes, 0, prefix.bytes.length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Blob blob && Arrays.equals(bytes, blob.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        if (bytes.length <= 48) {
            return "[" + Hex.of(bytes) + "]";
        }
        return "[" + bytes.length + " bytes, " + Hex.of(Arrays.copyOf(bytes, 16)) + "..., hash "
                + Integer.toHexString(Arrays.hashCode(bytes)) + "]";
    }
}
