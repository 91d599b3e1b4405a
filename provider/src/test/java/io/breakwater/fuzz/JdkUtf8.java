package io.breakwater.fuzz;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The JDK's strict UTF-8 decoder ({@link CodingErrorAction#REPORT}), fed piece by piece, as the oracle
 * for what is well-formed UTF-8; the bytes of an unfinished sequence are carried over to the next piece.
 */
final class JdkUtf8 {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer chars = CharBuffer.allocate(256);
    private ByteBuffer carried = ByteBuffer.allocate(0);

    /** Whether everything fed so far is well-formed, or a well-formed prefix when {@code end} is false. */
    boolean accept(byte[] piece, boolean end) {
        ByteBuffer in = ByteBuffer.allocate(carried.remaining() + piece.length).put(carried).put(piece).flip();
        while (true) {
            CoderResult result = decoder.decode(in, chars, end);
            if (result.isError()) {
                return false;
            }
            chars.clear();
            if (result.isUnderflow()) {
                break;
            }
        }
        carried = in;
        if (!end) {
            return !carried.hasRemaining() || completable(carried.duplicate());
        }
        while (decoder.flush(chars).isOverflow()) {
            chars.clear();
        }
        return !carried.hasRemaining();
    }

    /**
     * Whether an unfinished sequence (at most 3 bytes, which the JDK holds back without judging all
     * of them: it sees a UTF-16 surrogate, ED A0..BF, only once the third byte is there) can still
     * become a well-formed code point: whether some completion decodes. Only the second byte's range
     * depends on the lead (Table 3-7), and one of 80, 90, A0 fits every lead that has a valid range;
     * later bytes are any continuation byte. Any completion that decodes proves the prefix valid.
     */
    private static boolean completable(ByteBuffer tail) {
        for (int length = tail.remaining() + 1; length <= 4; length++) {
            for (int second : new int[] {0x80, 0x90, 0xA0}) {
                ByteBuffer candidate = ByteBuffer.allocate(length).put(tail.duplicate());
                if (candidate.position() == 1) {
                    candidate.put((byte) second);
                }
                while (candidate.hasRemaining()) {
                    candidate.put((byte) 0x80);
                }
                if (new JdkUtf8().accept(candidate.array(), true)) {
                    return true;
                }
            }
        }
        return false;
    }
}
