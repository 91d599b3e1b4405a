package io.breakwater.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * XOR masking of payload bytes (RFC 6455 §5.3), eight bytes at a time.
 *
 * <p>The mask key is an {@code int} whose most significant byte is the first key byte on the wire.
 * Because masking is its own inverse, the same call masks and unmasks.
 */
public final class Masking {

    // Native byte order: no byte swapping in the loop; the key is laid out to match instead.
    private static final VarHandle LONGS_IN_ARRAY =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS_IN_BUFFER =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private Masking() {
    }

    /**
     * Masks {@code buffer[from, to)} in place, ignoring its position and limit.
     *
     * @param maskKey the four key bytes, first byte most significant
     * @param keyOffset how many payload bytes precede {@code from} in the frame: the key is applied from
     *                  byte {@code keyOffset % 4} on, as when a payload arrives in pieces
     */
    public static void mask(ByteBuffer buffer, int from, int to, int maskKey, long keyOffset) {
        // RFC 6455 §5.3: octet i of the payload is XORed with octet (i mod 4) of the key.
        int key = Integer.rotateLeft(maskKey, 8 * (int) (keyOffset & 3));
        long key8 = ((long) key << 32) | (key & 0xFFFF_FFFFL); // key bytes in wire order, big-endian
        long nativeKey8 = LITTLE_ENDIAN ? Long.reverseBytes(key8) : key8;
        int i = from;
        if (buffer.hasArray()) {
            byte[] array = buffer.array();
            int base = buffer.arrayOffset();
            for (; i + 8 <= to; i += 8) {
                int at = base + i;
                LONGS_IN_ARRAY.set(array, at, (long) LONGS_IN_ARRAY.get(array, at) ^ nativeKey8);
            }
        } else if (!buffer.isReadOnly()) {
            for (; i + 8 <= to; i += 8) {
                LONGS_IN_BUFFER.set(buffer, i, (long) LONGS_IN_BUFFER.get(buffer, i) ^ nativeKey8);
            }
        }
        // Whole blocks of eight keep the key phase; the tail continues from the first key byte.
        for (int phase = 0; i < to; i++, phase++) {
            buffer.put(i, (byte) (buffer.get(i) ^ (key >>> (24 - 8 * phase))));
        }
    }
}
