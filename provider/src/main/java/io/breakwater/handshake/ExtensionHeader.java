package io.breakwater.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the value of {@code Sec-WebSocket-Extensions} (RFC 6455 §9.1):
 * <pre>
 *   extension-list  = 1#extension
 *   extension       = extension-token *( ";" extension-param )
 *   extension-param = token [ "=" (token | quoted-string) ]
 * </pre>
 * where a quoted value must itself be a token once unquoted. Optional white space is allowed around
 * the separators, and empty list elements are ignored (RFC 9110 §5.6.1).
 */
public final class ExtensionHeader {

    private ExtensionHeader() {
    }

    /**
     * Parses one header value, or several values of repeated header lines joined with commas.
     *
     * @throws IllegalArgumentException naming the position of the first syntax error
     */
    public static List<ExtensionSpec> parse(String value) {
        return new Reader(value).extensionList();
    }

    /** Parses every header line given, in order, as one list. */
    public static List<ExtensionSpec> parse(List<String> values) {
        List<ExtensionSpec> all = new ArrayList<>();
        for (String value : values) {
            all.addAll(parse(value));
        }
        return all;
    }

    /** Writes extensions as one header value. */
    public static String format(List<ExtensionSpec> extensions) {
        StringBuilder value = new StringBuilder();
        for (ExtensionSpec extension : extensions) {
            if (value.length() > 0) {
                value.append(", ");
            }
            value.append(extension);
        }
        return value.toString();
    }

    /** Whether {@code text} is an RFC 9110 §5.6.2 token. */
    public static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isTokenChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** A cursor over one header value. */
    private static final class Reader {
        private final String text;
        private int position;

        Reader(String text) {
            this.text = text;
        }

        List<ExtensionSpec> extensionList() {
            List<ExtensionSpec> extensions = new ArrayList<>();
            while (true) {
                skipWhitespace();
                if (atEnd()) {
                    break;
                }
                if (peek() == ',') {
                    position++; // an empty list element
                    continue;
                }
                extensions.add(extension());
                skipWhitespace();
                if (atEnd()) {
                    break;
                }
                expect(',');
            }
            if (extensions.isEmpty()) {
                throw error("no extension");
            }
            return extensions;
        }

        private ExtensionSpec extension() {
            String name = token("extension name");
            List<ExtensionSpec.Parameter> parameters = new ArrayList<>();
            skipWhitespace();
            while (!atEnd() && peek() == ';') {
                position++;
                skipWhitespace();
                String parameterName = token("parameter name");
                skipWhitespace();
                String value = null;
                if (!atEnd() && peek() == '=') {
                    position++;
                    skipWhitespace();
                    value = atEnd() || peek() != '"' ? token("parameter value") : quotedToken();
                    skipWhitespace();
                }
                parameters.add(new ExtensionSpec.Parameter(parameterName, value));
            }
            return new ExtensionSpec(name, parameters);
        }

        private String token(String what) {
            int start = position;
            while (!atEnd() && isTokenChar(peek())) {
                position++;
            }
            if (start == position) {
                throw error("expected " + what);
            }
            return text.substring(start, position);
        }

        // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE, whose content must be a token (RFC 6455 §9.1)
        private String quotedToken() {
            int start = position;
            position++;
            StringBuilder value = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw new IllegalArgumentException("unterminated quoted string at " + start + " in: " + text);
                }
                char c = text.charAt(position++);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    if (atEnd()) {
                        throw error("unterminated escape");
                    }
                    c = text.charAt(position++);
                }
                value.append(c);
            }
            String unquoted = value.toString();
            if (!isToken(unquoted)) {
                throw new IllegalArgumentException("quoted value at " + start + " is not a token in: " + text);
            }
            return unquoted;
        }

        private void expect(char c) {
            if (atEnd() || peek() != c) {
                throw error("expected '" + c + "'");
            }
            position++;
        }

        private void skipWhitespace() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
                position++;
            }
        }

        private boolean atEnd() {
            return position >= text.length();
        }

        private char peek() {
            return text.charAt(position);
        }

        private IllegalArgumentException error(String problem) {
            return new IllegalArgumentException(problem + " at " + position + " in: " + text);
        }
    }
}
