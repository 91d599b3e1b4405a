package io.breakwater.server;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The container's origin allow-list, checked before the configurator's {@code checkOrigin} (both must
 * pass). Without a list every origin is accepted, as the specification's default {@code checkOrigin}
 * does (Jakarta WebSocket 2.2 §3.1.4); with one, a handshake whose {@code Origin} is not listed is
 * refused. A browser always sends the page's origin (RFC 6455 §4.1 item 8) and a page cannot forge it,
 * so the list stops other sites' pages from opening connections with their visitor's cookies
 * (cross-site WebSocket hijacking, RFC 6455 §10.2).
 *
 * <p>The rules:
 * <ul>
 *   <li>A request without {@code Origin} is accepted: it comes from no browser (RFC 6455 §4.1 makes
 *       browsers send it, §10.2 leaves other clients free to send any origin or none), so refusing it
 *       would protect nothing; such clients must be authenticated by other means.</li>
 *   <li>Origins are compared as RFC 6454 §5 compares them, by scheme, host and port: scheme and host
 *       case-insensitively, and a port that is the scheme's default ({@code 80} for {@code http} and
 *       {@code ws}, {@code 443} for {@code https} and {@code wss}) the same as none, since a browser
 *       leaves it out of the serialization (§6.2). {@code https://Chat.Example.com:443} in the list matches
 *       {@code Origin: https://chat.example.com}.</li>
 *   <li>The opaque origin {@code null} (§6.2 item 1, sent by sandboxed frames and {@code file:} pages,
 *       for which no site answers) is refused unless {@code null} itself is listed; so is any value that is
 *       no serialized origin. With several {@code Origin} fields, each must be allowed.</li>
 * </ul>
 *
 * <p>A listed origin is {@code scheme://host} or {@code scheme://host:port}, with the host in ASCII
 * (an internationalized name in its punycode form, as browsers send it), or {@code null}; anything else
 * (a path, even {@code /}, a user name, a query, a wildcard) is refused when the list is made, since it
 * could never match.
 *
 * <p>Immutable; thread safe.
 */
final class OriginPolicy {

    /** The literal opaque origin (RFC 6454 §6.2 item 1, §7.1). */
    private static final String OPAQUE = "null";

    private static final OriginPolicy ANY = new OriginPolicy(null);

    /** The listed origins in their normalized form, or null for no list. */
    private final Set<String> allowed;

    private OriginPolicy(Set<String> allowed) {
        this.allowed = allowed;
    }

    /** No list: every origin is accepted (the default). */
    static OriginPolicy acceptingAll() {
        return ANY;
    }

    /**
     * Only the {@code origins} listed, and requests without an origin; an empty list allows no origin.
     *
     * @throws IllegalArgumentException if an element is not an origin as the class comment describes
     */
    static OriginPolicy allowing(Collection<String> origins) {
        Set<String> normalized = new LinkedHashSet<>();
        for (String origin : origins) {
            if (origin == null) {
                throw new IllegalArgumentException("an allowed origin is null (the opaque origin is \"null\")");
            }
            String trimmed = origin.trim();
            if (trimmed.equals(OPAQUE)) {
                normalized.add(OPAQUE);
                continue;
            }
            normalized.add(normalize(trimmed).orElseThrow(() -> new IllegalArgumentException("'" + origin
                    + "' is not an origin: it is scheme://host or scheme://host:port, in ASCII, with no path"
                    + " (RFC 6454 §6.2), or null")));
        }
        return new OriginPolicy(Collections.unmodifiableSet(normalized));
    }

    /** The listed origins, normalized, or empty when every origin is accepted. */
    Optional<Set<String>> allowed() {
        return Optional.ofNullable(allowed);
    }

    /**
     * Whether a handshake with these {@code Origin} field values may go on to the configurator.
     *
     * @param originFields every {@code Origin} field of the request, possibly none
     */
    boolean accepts(List<String> originFields) {
        if (allowed == null) {
            return true;
        }
        for (String field : originFields) {
            if (!accepts(field)) {
                return false;
            }
        }
        return true;
    }

    private boolean accepts(String origin) {
        String value = origin.trim();
        if (value.equals(OPAQUE)) {
            return allowed.contains(OPAQUE);
        }
        return normalize(value).map(allowed::contains).orElse(false);
    }

    /**
     * {@code scheme://host[:port]} with scheme and host in lower case and a default port left out; empty
     * when {@code origin} is not of that form.
     */
    private static Optional<String> normalize(String origin) {
        int separator = origin.indexOf("://");
        if (separator < 1 || !isScheme(origin.substring(0, separator))) {
            return Optional.empty();
        }
        String scheme = origin.substring(0, separator).toLowerCase(Locale.ROOT);
        String authority = origin.substring(separator + 3);
        String host;
        String port;
        if (authority.startsWith("[")) { // IP-literal (RFC 3986 §3.2.2)
            int close = authority.indexOf(']');
            if (close < 2) {
                return Optional.empty();
            }
            host = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return Optional.empty();
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty() || !isHost(host)) {
            return Optional.empty();
        }
        StringBuilder serialized = new StringBuilder(scheme).append("://").append(host.toLowerCase(Locale.ROOT));
        if (port != null) {
            Integer number = portNumber(port);
            if (number == null) {
                return Optional.empty();
            }
            if (number != defaultPort(scheme)) {
                serialized.append(':').append(number);
            }
        }
        return Optional.of(serialized.toString());
    }

    // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1)
    private static boolean isScheme(String scheme) {
        for (int i = 0; i < scheme.length(); i++) {
            char c = scheme.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) {
                return false;
            }
        }
        return true;
    }

    // A host as browsers serialize one (RFC 6454 §6.2, the URL standard's host serializer): a domain in
    // ASCII, an IPv4 address, or an IPv6 literal in brackets. No sub-delims: a "*" is no wildcard and would
    // never match, and no "/", "?", "#" or "@": an origin has neither path nor user information.
    private static boolean isHost(String host) {
        boolean literal = host.startsWith("[");
        int end = literal ? host.length() - 1 : host.length();
        for (int i = literal ? 1 : 0; i < end; i++) {
            char c = host.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || (literal ? c == ':' : c == '-' || c == '_' || c == '~' || c == '%');
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** The port's number, or null if it is empty, not decimal digits, or above 65535. */
    private static Integer portNumber(String port) {
        if (port.isEmpty() || port.length() > 5) {
            return null;
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return null;
            }
        }
        int number = Integer.parseInt(port);
        return number <= 65535 ? number : null;
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }

    @Override
    public String toString() {
        return allowed == null ? "every origin" : "origins " + allowed;
    }
}
