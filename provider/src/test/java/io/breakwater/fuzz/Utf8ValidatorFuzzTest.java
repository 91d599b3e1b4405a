package io.breakwater.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.breakwater.protocol.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
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
}
