package io.breakwater.handshake;

/**
 * ASCII-only text helpers. HTTP compares tokens "ASCII case-insensitively" (RFC 9110 §5.1, RFC 6455 §2.1);
 * {@link String#equalsIgnoreCase} would also fold non-ASCII letters such as KELVIN SIGN onto {@code k}.
 */
final class Ascii {

    private Ascii() {
    }

    static boolean equalsIgnoreCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (toLowerCase(a.charAt(i)) != toLowerCase(b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String toLowerCase(String text) {
        StringBuilder lower = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char l = toLowerCase(c);
            if (l != c && lower == null) {
                lower = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (lower != null) {
                lower.append(l);
            }
        }
        return lower == null ? text : lower.toString();
    }

    static char toLowerCase(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** Optional white space: OWS = *( SP / HTAB ) (RFC 9110 §5.6.3). */
    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /** Removes OWS from both ends. */
    static String trimWhitespace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** Visible US-ASCII: VCHAR = %x21-7E (RFC 5234 Appendix B.1). */
    static boolean isVisible(char c) {
        return c >= 0x21 && c <= 0x7E;
    }

    /**
     * Whether {@code c} may appear in a field value or reason phrase: HTAB, SP, VCHAR or obs-text
     * (RFC 9110 §5.5, RFC 9112 §4); this excludes CR, LF, NUL, DEL and the other control characters.
     */
    static boolean isFieldValueChar(char c) {
        return c == '\t' || (c >= 0x20 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
    }

    /** Shortens text quoted into an error message, so that a hostile peer cannot inflate it. */
    static String excerpt(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
