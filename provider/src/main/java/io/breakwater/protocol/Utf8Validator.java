package io.breakwater.protocol;

import java.nio.ByteBuffer;

/**
 * A streaming check that bytes are well-formed UTF-8 (RFC 3629; Unicode Table 3-7): no overlong
 * forms, no surrogates, nothing above U+10FFFF. Input may be split anywhere, a code point across two
 * pieces included, and the first invalid byte is reported at once (RFC 6455 §8.1 lets an endpoint
 * fail as soon as it sees invalid data, not only when the message ends).
 */
public final class Utf8Validator {

    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    /** Continuation bytes still expected for the current code point. */
    private int pending;
    /** The range the next continuation byte must fall in; narrower than 80..BF right after some lead bytes. */
    private int low = 0x80;
    private int high = 0xBF;

    /**
     * Checks the bytes between the buffer's position and limit, which are left unchanged.
     *
     * @return false as soon as a byte cannot continue a well-formed sequence
     */
    public boolean accept(ByteBuffer bytes) {
        int i = bytes.position();
        int end = bytes.limit();
        while (i < end) {
            if (pending == 0) {
                // ASCII fast path: eight bytes at a time while no high bit is set.
                while (i + 8 <= end && (bytes.getLong(i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
                int b = bytes.get(i++) & 0xFF;
                if (b >= 0x80 && !startSequence(b)) {
                    return false;
                }
            } else {
                int b = bytes.get(i++) & 0xFF;
                if (b < low || b > high) {
                    return false;
                }
                low = 0x80;
                high = 0xBF;
                pending--;
            }
        }
        return true;
    }

    /** Whether the input so far ends on a code point boundary. */
    public boolean isComplete() {
        return pending == 0;
    }

    /** Forgets any partial code point, for the next message. */
    public void reset() {
        pending = 0;
        low = 0x80;
        high = 0xBF;
    }

    /** Whether a whole byte range is well-formed UTF-8. */
    public static boolean isValid(ByteBuffer bytes) {
        Utf8Validator validator = new Utf8Validator();
        return validator.accept(bytes) && validator.isComplete();
    }

    // Unicode Table 3-7, the lead byte and the range of the byte after it.
    private boolean startSequence(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            pending = 1;
        } else if (lead == 0xE0) {
            pending = 2;
            low = 0xA0; // no overlong 3-byte forms
        } else if (lead == 0xED) {
            pending = 2;
            high = 0x9F; // no UTF-16 surrogates
        } else if (lead >= 0xE1 && lead <= 0xEF) {
            pending = 2;
        } else if (lead == 0xF0) {
            pending = 3;
            low = 0x90; // no overlong 4-byte forms
        } else if (lead >= 0xF1 && lead <= 0xF3) {
            pending = 3;
        } else if (lead == 0xF4) {
            pending = 3;
            high = 0x8F; // nothing above U+10FFFF
        } else {
            return false; // 80..C1 (continuation or overlong 2-byte lead), F5..FF
        }
        return true;
    }
}
