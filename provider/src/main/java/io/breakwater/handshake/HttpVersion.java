package io.breakwater.handshake;

/** An HTTP-version as written in a start line: {@code HTTP-version = "HTTP/" DIGIT "." DIGIT} (RFC 9112 §2.3). */
record HttpVersion(int major, int minor) {

    static final HttpVersion HTTP_1_1 = new HttpVersion(1, 1);

    /** The version written as {@code text} (case-sensitive, RFC 9112 §2.3), or {@code null} when malformed. */
    static HttpVersion parse(String text) {
        if (text.length() != 8 || !text.startsWith("HTTP/") || text.charAt(6) != '.'
                || !isDigit(text.charAt(5)) || !isDigit(text.charAt(7))) {
            return null;
        }
        return new HttpVersion(text.charAt(5) - '0', text.charAt(7) - '0');
    }

    static boolean isValid(String text) {
        return parse(text) != null;
    }

    boolean isAtLeast(HttpVersion other) {
        return major > other.major || (major == other.major && minor >= other.minor);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    @Override
    public String toString() {
        return "HTTP/" + major + "." + minor;
    }
}
