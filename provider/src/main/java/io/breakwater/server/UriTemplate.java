package io.breakwater.server;

import jakarta.websocket.DeploymentException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A server endpoint path: a relative URI or a level-1 URI template (RFC 6570), as given by
 * {@code @ServerEndpoint.value()} or {@link jakarta.websocket.server.ServerEndpointConfig#getPath()}.
 *
 * <p>The rules (Jakarta WebSocket 3.1.1 and 4.1.1; each violation is a {@link DeploymentException}
 * naming the path and the rule):
 * <ul>
 * <li>the path starts with {@code '/'};</li>
 * <li>it has no empty segment ({@code //}) and no dot segment ({@code /./}, {@code /../}, nor a
 * final {@code /.} or {@code /..}), except that it may end in {@code '/'};</li>
 * <li>a variable {@code {name}} replaces a whole segment, and a name is used once;</li>
 * <li>only level-1 expressions: no operators ({@code + # . / ; ? &}), no modifiers
 * ({@code :} prefix, {@code *} explode), one variable per expression;</li>
 * <li>a variable name is made of RFC 6570 varchars ({@code ALPHA DIGIT _} and percent-encoded
 * octets) with single dots between them, and, beyond RFC 6570, {@code '-'}, because the
 * specification's own examples use names such as {@code guest-id};</li>
 * <li>a literal segment holds characters allowed in a URI path segment (RFC 3986 {@code pchar}) or
 * non-ASCII characters (RFC 6570 {@code ucschar}), and well-formed percent-encodings; braces,
 * {@code ?}, {@code #}, spaces and control characters are refused.</li>
 * </ul>
 *
 * <p>A trailing {@code '/'} is significant: it is a last, empty, literal segment. {@code /a/b/}
 * matches only {@code /a/b/}, and {@code /a/{var}} does not match {@code /a/b/} (the examples of
 * 3.1.1). Literal segments are compared percent-decoded, so {@code /caf%C3%A9} and {@code /café} are
 * the same path.
 */
public final class UriTemplate {

    /** One segment of a template: a literal or a variable. */
    public sealed interface Segment permits Literal, Variable {
    }

    /**
     * A literal segment.
     *
     * @param value the segment percent-decoded, as request segments are compared with it
     */
    public record Literal(String value) implements Segment {
        public Literal {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A variable segment {@code {name}}; it matches any non-empty segment (an empty string is not a
     * valid level-1 expansion, 3.1.1).
     *
     * @param name the variable name as written, the name {@code @PathParam} refers to
     */
    public record Variable(String name) implements Segment {
        public Variable {
            Objects.requireNonNull(name, "name");
        }
    }

    private final String path;
    private final List<Segment> segments;
    private final List<String> variableNames;

    private UriTemplate(String path, List<Segment> segments, List<String> variableNames) {
        this.path = path;
        this.segments = segments;
        this.variableNames = variableNames;
    }

    /**
     * Parses and validates an endpoint path.
     *
     * @throws DeploymentException if the path breaks one of the rules above; the message names the
     *     path and the rule
     */
    public static UriTemplate parse(String path) throws DeploymentException {
        if (path == null) {
            throw new DeploymentException("Invalid endpoint path: the path is missing (Jakarta WebSocket 4.1.1)");
        }
        if (path.isEmpty() || path.charAt(0) != '/') {
            throw invalid(path, "it must start with '/'");
        }
        List<Segment> segments = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int start = 1;
        int index = 1;
        while (true) {
            int slash = path.indexOf('/', start);
            boolean last = slash < 0;
            String text = path.substring(start, last ? path.length() : slash);
            if (text.isEmpty()) {
                if (!last) {
                    throw invalid(path, "it must not contain an empty segment '//'");
                }
                // A trailing '/' (or the root path "/"): an empty last literal segment.
                segments.add(new Literal(""));
            } else if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0) {
                String name = variableName(path, text, index);
                if (!seen.add(name)) {
                    throw invalid(path, "variable '" + name + "' is used more than once");
                }
                names.add(name);
                segments.add(new Variable(name));
            } else {
                segments.add(new Literal(literal(path, text, index)));
            }
            if (last) {
                break;
            }
            start = slash + 1;
            index++;
        }
        return new UriTemplate(path, List.copyOf(segments), List.copyOf(names));
    }

    /** The path exactly as given. */
    public String path() {
        return path;
    }

    /** The segments, left to right; the root path {@code "/"} is one empty literal. */
    public List<Segment> segments() {
        return segments;
    }

    /** The variable names, left to right. */
    public List<String> variableNames() {
        return variableNames;
    }

    /** Whether this path has no variable, that is, is a plain relative URI. */
    public boolean isLiteral() {
        return variableNames.isEmpty();
    }

    /**
     * Matches a request path (a query string, if present, is ignored; the path is normalized as
     * described in {@link RequestPath}).
     *
     * @return the path parameters by variable name, in template order, values percent-decoded; empty
     *     if the path is not an expansion of this template
     */
    public Optional<Map<String, String>> match(String requestPath) {
        String[] requestSegments = RequestPath.segments(requestPath);
        if (requestSegments == null || requestSegments.length != segments.size()) {
            return Optional.empty();
        }
        for (int i = 0; i < requestSegments.length; i++) {
            Segment segment = segments.get(i);
            boolean matches = segment instanceof Literal literal
                    ? literal.value().equals(requestSegments[i])
                    : !requestSegments[i].isEmpty();
            if (!matches) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters(requestSegments));
    }

    /**
     * Whether the two paths are equivalent, which makes an application that holds both invalid
     * (WSC-3.1.1-2): the same literals and the variables in the same places, whatever their names.
     */
    public boolean isEquivalentTo(UriTemplate other) {
        if (other.segments.size() != segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment mine = segments.get(i);
            Segment theirs = other.segments.get(i);
            if (mine instanceof Literal ? !mine.equals(theirs) : !(theirs instanceof Variable)) {
                return false;
            }
        }
        return true;
    }

    /** The parameters for request segments already known to match this template. */
    Map<String, String> parameters(String[] requestSegments) {
        if (variableNames.isEmpty()) {
            return Map.of();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < requestSegments.length; i++) {
            if (segments.get(i) instanceof Variable variable) {
                parameters.put(variable.name(), requestSegments[i]);
            }
        }
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UriTemplate other && other.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }

    // ---- parsing -------------------------------------------------------------------------------

    /** A segment that holds a brace must be exactly one level-1 expression. */
    private static String variableName(String path, String text, int index) throws DeploymentException {
        int open = text.indexOf('{');
        int close = text.indexOf('}');
        if (open < 0 || close < 0 || close < open
                || text.indexOf('{', open + 1) >= 0 || text.indexOf('}', close + 1) >= 0) {
            throw invalid(path, "segment " + index + " '" + text + "' has unbalanced or extra braces");
        }
        if (open != 0 || close != text.length() - 1) {
            throw invalid(path, "segment " + index + " '" + text
                    + "' mixes a variable with literal text; a variable must replace a whole segment (3.1.1)");
        }
        String name = text.substring(1, text.length() - 1);
        if (name.isEmpty()) {
            throw invalid(path, "segment " + index + " '{}' has an empty variable name");
        }
        char first = name.charAt(0);
        if ("+#./;?&=,!@|".indexOf(first) >= 0) {
            throw invalid(path, "expression '" + text + "' uses the operator '" + first
                    + "'; only level-1 templates are allowed (RFC 6570 §1.2)");
        }
        if (name.indexOf(',') >= 0) {
            throw invalid(path, "expression '" + text
                    + "' holds more than one variable; only level-1 templates are allowed (RFC 6570 §1.2)");
        }
        if (name.indexOf(':') >= 0 || name.indexOf('*') >= 0) {
            throw invalid(path, "expression '" + text
                    + "' uses a value modifier; only level-1 templates are allowed (RFC 6570 §1.2)");
        }
        boolean afterDot = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (afterDot || i == name.length() - 1) {
                    throw invalid(path, "variable name '" + name
                            + "' has a '.' that is not between two name characters (RFC 6570 §2.3)");
                }
                afterDot = true;
                continue;
            }
            afterDot = false;
            if (c == '%') {
                if (!PercentDecoding.isTriplet(name, i)) {
                    throw invalid(path, "variable name '" + name + "' has a malformed percent-encoding");
                }
                i += 2;
            } else if (!isVarChar(c)) {
                throw invalid(path, "variable name '" + name + "' has the character " + describe(c)
                        + "; names use letters, digits, '_', '-', '.' and percent-encodings (RFC 6570 §2.3)");
            }
        }
        return name;
    }

    private static boolean isVarChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** Validates a literal segment and returns it percent-decoded. */
    private static String literal(String path, String text, int index) throws DeploymentException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (!PercentDecoding.isTriplet(text, i)) {
                    throw invalid(path, "segment " + index + " '" + text + "' has a malformed percent-encoding");
                }
                i += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    throw invalid(path, "segment " + index + " has an unpaired surrogate character");
                }
                i++;
            } else if (!isLiteralChar(c)) {
                throw invalid(path, "segment " + index + " '" + text + "' has the character " + describe(c)
                        + ", which is not allowed in a path segment (RFC 3986 §3.3)");
            }
        }
        String decoded = PercentDecoding.decode(text);
        if (decoded == null) {
            throw invalid(path, "segment " + index + " '" + text + "' does not decode as UTF-8");
        }
        if (decoded.equals(".") || decoded.equals("..")) {
            throw invalid(path, "it must not contain the dot segment '" + text
                    + "' (3.1.1 forbids '/./' and '/../')");
        }
        return decoded;
    }

    /**
     * RFC 3986 pchar (unreserved, sub-delims, ':' and '@'; '%' is handled by the caller) plus the
     * non-ASCII characters that RFC 6570 allows in literals, less control and space characters.
     */
    private static boolean isLiteralChar(char c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@".indexOf(c) >= 0;
        }
        return !Character.isISOControl(c) && !Character.isSpaceChar(c) && !Character.isLowSurrogate(c);
    }

    private static String describe(char c) {
        return c >= 0x21 && c <= 0x7E ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static DeploymentException invalid(String path, String rule) {
        return new DeploymentException("Invalid endpoint path \"" + path + "\": " + rule
                + " (Jakarta WebSocket 3.1.1, 4.1.1)");
    }
}
