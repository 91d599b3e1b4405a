package io.breakwater.conformance.wire;

/**
 * Reads the block structure of a DEFLATE stream (RFC 1951 §3.2) far enough to find its longest back
 * reference, so that the suite can tell whether a peer kept to the LZ77 window it agreed to
 * (RFC 7692 §7.1.2): java.util.zip inflates any window and would not notice.
 */
public final class DeflateDistances {
    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
        67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
        5, 5, 5, 5, 0};
    private static final int[] DISTANCE_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
        513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DISTANCE_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
        10, 11, 11, 12, 12, 13, 13};
    /** §3.2.7: the order in which code length code lengths are sent. */
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    private final byte[] data;
    private int bitPosition;
    private int longest;

    private DeflateDistances(byte[] data) {
        this.data = data;
    }

    /**
     * The longest back reference in a message's compressed payload, with the 00 00 ff ff that
     * RFC 7692 §7.2.2 appends before inflating; 0 when there is none.
     *
     * @throws WireViolation when the data is not DEFLATE
     */
    public static int longestDistance(byte[] messagePayload) throws WireViolation {
        byte[] stream = java.util.Arrays.copyOf(messagePayload, messagePayload.length + 4);
        stream[stream.length - 2] = (byte) 0xff;
        stream[stream.length - 1] = (byte) 0xff;
        DeflateDistances reader = new DeflateDistances(stream);
        try {
            reader.blocks();
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new WireViolation("compressed payload ends inside a DEFLATE block (RFC 7692 §7.2.2)");
        }
        return reader.longest;
    }

    private void blocks() throws WireViolation {
        // Blocks follow each other until a final block or the end of the input, which the appended
        // empty stored block leaves on a byte boundary.
        while (data.length * 8 - bitPosition >= 3) {
            boolean last = bits(1) == 1;
            int type = bits(2);
            switch (type) {
                case 0 -> stored();
                case 1 -> huffman(Huffman.FIXED_LITERALS, Huffman.FIXED_DISTANCES);
                case 2 -> dynamic();
                default -> throw new WireViolation("DEFLATE block type 3 is reserved (RFC 1951 §3.2.3)");
            }
            if (last) {
                return;
            }
        }
    }

    private void stored() throws WireViolation {
        bitPosition = (bitPosition + 7) & ~7;
        int length = bits(16);
        int complement = bits(16);
        if ((length ^ 0xffff) != complement) {
            throw new WireViolation("DEFLATE stored block with LEN and NLEN not complements (RFC 1951 §3.2.4)");
        }
        bitPosition += length * 8;
        if (bitPosition > data.length * 8) {
            throw new ArrayIndexOutOfBoundsException();
        }
    }

    private void dynamic() throws WireViolation {
        int literalCodes = bits(5) + 257;
        int distanceCodes = bits(5) + 1;
        int codeLengthCodes = bits(4) + 4;
        int[] codeLengthLengths = new int[19];
        for (int i = 0; i < codeLengthCodes; i++) {
            codeLengthLengths[CODE_LENGTH_ORDER[i]] = bits(3);
        }
        Huffman codeLengths = new Huffman(codeLengthLengths);
        int[] lengths = new int[literalCodes + distanceCodes];
        int i = 0;
        while (i < lengths.length) {
            int symbol = codeLengths.decode(this);
            if (symbol < 16) {
                lengths[i++] = symbol;
                continue;
            }
            int repeat;
            int value = 0;
            if (symbol == 16) {
                if (i == 0) {
                    throw new WireViolation("DEFLATE code length repeat with nothing to repeat (RFC 1951 §3.2.7)");
                }
                value = lengths[i - 1];
                repeat = 3 + bits(2);
            } else if (symbol == 17) {
                repeat = 3 + bits(3);
            } else {
                repeat = 11 + bits(7);
            }
            if (i + repeat > lengths.length) {
                throw new WireViolation("DEFLATE code lengths overrun (RFC 1951 §3.2.7)");
            }
            for (int r = 0; r < repeat; r++) {
                lengths[i++] = value;
            }
        }
        huffman(new Huffman(java.util.Arrays.copyOfRange(lengths, 0, literalCodes)),
                new Huffman(java.util.Arrays.copyOfRange(lengths, literalCodes, lengths.length)));
    }

    private void huffman(Huffman literals, Huffman distances) throws WireViolation {
        while (true) {
            int symbol = literals.decode(this);
            if (symbol < 256) {
                continue;
            }
            if (symbol == 256) {
                return;
            }
            int lengthCode = symbol - 257;
            if (lengthCode >= LENGTH_BASE.length) {
                throw new WireViolation("DEFLATE length symbol " + symbol + " is invalid (RFC 1951 §3.2.5)");
            }
            bits(LENGTH_EXTRA[lengthCode]);
            int distanceCode = distances.decode(this);
            if (distanceCode >= DISTANCE_BASE.length) {
                throw new WireViolation("DEFLATE distance symbol " + distanceCode + " is invalid (RFC 1951 §3.2.5)");
            }
            int distance = DISTANCE_BASE[distanceCode] + bits(DISTANCE_EXTRA[distanceCode]);
            longest = Math.max(longest, distance);
        }
    }

    /** §3.1.1: data elements are packed starting with the least significant bit. */
    int bits(int count) {
        int value = 0;
        for (int i = 0; i < count; i++) {
            int bit = (data[bitPosition >>> 3] >>> (bitPosition & 7)) & 1;
            value |= bit << i;
            bitPosition++;
        }
        return value;
    }

    /** A canonical Huffman code (§3.2.2), decoded a bit at a time, most significant code bit first. */
    private static final class Huffman {
        static final Huffman FIXED_LITERALS = new Huffman(fixedLiteralLengths());
        static final Huffman FIXED_DISTANCES = new Huffman(filled(30, 5));

        private final int[] countPerLength = new int[16];
        private final int[] symbols;

        Huffman(int[] lengths) {
            int[] offsets = new int[16];
            int used = 0;
            for (int length : lengths) {
                countPerLength[length]++;
            }
            countPerLength[0] = 0;
            for (int length = 1; length < 16; length++) {
                offsets[length] = used;
                used += countPerLength[length];
            }
            symbols = new int[used];
            for (int symbol = 0; symbol < lengths.length; symbol++) {
                if (lengths[symbol] != 0) {
                    symbols[offsets[lengths[symbol]]++] = symbol;
                }
            }
        }

        int decode(DeflateDistances in) throws WireViolation {
            int code = 0;
            int first = 0;
            int index = 0;
            for (int length = 1; length < 16; length++) {
                code |= in.bits(1);
                int count = countPerLength[length];
                if (code - first < count) {
                    return symbols[index + code - first];
                }
                index += count;
                first = (first + count) << 1;
                code <<= 1;
            }
            throw new WireViolation("DEFLATE data with an undefined Huffman code (RFC 1951 §3.2.2)");
        }

        private static int[] fixedLiteralLengths() {
            int[] lengths = new int[288];
            for (int i = 0; i < 288; i++) {
                lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
            }
            return lengths;
        }

        private static int[] filled(int count, int length) {
            int[] lengths = new int[count];
            java.util.Arrays.fill(lengths, length);
            return lengths;
        }
    }
}
