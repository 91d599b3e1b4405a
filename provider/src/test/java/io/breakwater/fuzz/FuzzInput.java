package io.breakwater.fuzz;

import java.util.Arrays;

/**
 * Reads a fuzzer's input as a few control bytes (limits, options, how to split the data) followed by
 * the data under test. Control bytes past the end read as 0, so every input, the empty one included,
 * is a valid test case and the fuzzer never wastes executions on inputs that are rejected up front.
 *
 * <p>The layout is ours rather than Jazzer's {@code FuzzedDataProvider}'s so that regression inputs
 * can be written by hand (see {@link SeedCorpus}): control bytes first, in the order each fuzz test
 * reads them, then the data.
 */
final class FuzzInput {

    private final byte[] bytes;
    private int position;

    FuzzInput(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The next control byte, 0..255; 0 once the input is used up. */
    int nextByte() {
        return position < bytes.length ? bytes[position++] & 0xFF : 0;
    }

    /** The next control byte's lowest bit. */
    boolean nextBoolean() {
        return (nextByte() & 1) != 0;
    }

    /**
     * A size limit from one control byte: 0 keeps {@code unlimited} (the production default), any other
     * value {@code b} gives {@code b * b}, 1 to 65,025 bytes, so that both tiny limits and limits above the
     * inflater's 16 KiB output chunk are reachable.
     */
    long nextLimit(long unlimited) {
        int b = nextByte();
        return b == 0 ? unlimited : (long) b * b;
    }

    /** Everything after the control bytes read so far. */
    byte[] rest() {
        return position >= bytes.length ? new byte[0] : Arrays.copyOfRange(bytes, position, bytes.length);
    }
}
