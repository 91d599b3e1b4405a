package io.breakwater.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.breakwater.protocol.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The streaming UTF-8 validator against the JDK's own decoder with {@link CodingErrorAction#REPORT},
 * which follows the same Unicode Table 3-7 and, like the validator, rejects a truncated sequence as
 * soon as its second or third byte cannot continue it.
 *
 * <p>Input: a {@link Chunking}, then the bytes to validate.
 */
class Utf8ValidatorFuzzTest {

    @FuzzTest
    void agreesWithTheJdkDecoder(byte[] data) {
        FuzzInput input = new FuzzInput(data);
        Chunking chunking = Chunking.read(input);
        byte[] text = input.rest();

        boolean jdkValid = new JdkUtf8().accept(text, true);
        ByteBuffer whole = ByteBuffer.wrap(text);
        assertEquals(jdkValid, Utf8Validator.isValid(whole), "whole input");
        assertEquals(0, whole.position(), "isValid leaves the position alone");

        // Piece by piece, both must give the same verdict after every piece: the validator fails on
        // the first byte that cannot continue a well-formed sequence, not later, and not earlier.
        Utf8Validator validator = new Utf8Validator();
        JdkUtf8 jdk = new JdkUtf8();
        boolean valid = true;
        List<byte[]> pieces = chunking.split(text);
        for (int i = 0; i < pieces.size() && valid; i++) {
            ByteBuffer buffer = chunking.wrap(pieces.get(i));
            int position = buffer.position();
            int limit = buffer.limit();
            valid = validator.accept(buffer);
            assertEquals(jdk.accept(pieces.get(i), false), valid, "after piece " + i);
            assertEquals(position, buffer.position(), "accept leaves the position alone");
            assertEquals(limit, buffer.limit(), "accept leaves the limit alone");
        }
        if (valid) {
            assertEquals(jdkValid, validator.isComplete(), "complete at the end");
        }
    }

    /** The JDK's strict UTF-8 decoder, fed piece by piece; bytes of an unfinished sequence are carried over. */
    private static final class JdkUtf8 {
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
}
