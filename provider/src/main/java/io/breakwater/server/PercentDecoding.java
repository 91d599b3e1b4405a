package io.breakwater.server;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding of one URI path segment (RFC 3986 §2.1): each run of {@code %XX} triplets is
 * decoded as UTF-8 (RFC 3986 §2.5); every other character stands for itself. A {@code '+'} is a
 * plus sign here, not a space: form encoding does not apply to paths.
 */
final class PercentDecoding {

    private PercentDecoding() {
    }

    /**
     * The decoded text, or {@code null} when {@code text} holds a {@code '%'} that does not start
     * two hexadecimal digits, or when the decoded bytes are not well-formed UTF-8.
     */
    static String decode(String text) {
        int percent = text.indexOf('%');
        if (percent < 0) {
            return text;
        }
        StringBuilder decoded = new StringBuilder(text.length()).append(text, 0, percent);
        int i = percent;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                decoded.append(c);
                i++;
                continue;
            }
            int runEnd = i;
            while (runEnd < text.length() && text.charAt(runEnd) == '%') {
                runEnd += 3;
            }
            if (runEnd > text.length()) {
                return null;
            }
            byte[] bytes = new byte[(runEnd - i) / 3];
            for (int b = 0; b < bytes.length; b++) {
                int high = hexValue(text.charAt(i + 3 * b + 1));
                int low = hexValue(text.charAt(i + 3 * b + 2));
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes[b] = (byte) (high << 4 | low);
            }
            String run = utf8(bytes);
            if (run == null) {
                return null;
            }
            decoded.append(run);
            i = runEnd;
        }
        return decoded.toString();
    }

    /** Whether {@code text} at {@code index} holds {@code '%'} and two hexadecimal digits. */
    static boolean isTriplet(String text, int index) {
        return index + 2 < text.length()
                && text.charAt(index) == '%'
                && hexValue(text.charAt(index + 1)) >= 0
                && hexValue(text.charAt(index + 2)) >= 0;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static String utf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
