package io.breakwater.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): validates a client's request
 * ({@link #validate}) and writes the answer ({@link #acceptResponse}, {@link #rejectResponse}).
 *
 * <p>The checks run in this order, so that a request that is not a WebSocket handshake at all gets 400
 * and only a WebSocket request of another protocol version gets 426:
 * <ol>
 *   <li>HTTP version 1.1 or higher, method {@code GET}, a request-target in origin-form or absolute-form,
 *       exactly one valid {@code Host} → else 400 (RFC 6455 §4.2.1 items 1–2, RFC 9112 §3.2);</li>
 *   <li>{@code Upgrade} listing {@code websocket}, {@code Connection} listing {@code Upgrade} → else 400
 *       (items 3–4);</li>
 *   <li>exactly one {@code Sec-WebSocket-Key}, the base64 encoding of 16 bytes → else 400 (item 5);</li>
 *   <li>{@code Sec-WebSocket-Version: 13} → else 426 with {@code Sec-WebSocket-Version: 13}
 *       (item 6, §4.2.2, §4.4);</li>
 *   <li>{@code Sec-WebSocket-Protocol} elements that are tokens, and a well-formed
 *       {@code Sec-WebSocket-Extensions} → else 400 (items 8–9).</li>
 * </ol>
 */
public final class ServerHandshake {

    /** The GUID appended to the key to compute {@code Sec-WebSocket-Accept} (RFC 6455 §1.3, §4.2.2). */
    public static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The only protocol version this implementation speaks (RFC 6455 §4.1 item 9). */
    public static final String WEBSOCKET_VERSION = "13";

    private ServerHandshake() {
    }

    /** What {@link #validate} decided: {@link Accepted} or {@link Rejected}. */
    public sealed interface Outcome permits Accepted, Rejected {
    }

    /**
     * A valid opening handshake request. The server now chooses a subprotocol and extensions and answers
     * with {@link #acceptResponse(Accepted, String, List, HttpHeaders)}.
     *
     * @param target       the request-target as received
     * @param key          the {@code Sec-WebSocket-Key}
     * @param accept       the {@code Sec-WebSocket-Accept} value to answer with
     * @param subprotocols the requested subprotocols in the client's order of preference (possibly empty)
     * @param extensions   the offered extensions in the client's order (possibly empty)
     * @param origin       the {@code Origin}, or {@code null} when absent (RFC 6455 §4.2.1 item 7)
     * @param headers      every header field of the request
     */
    public record Accepted(String target, String key, String accept, List<String> subprotocols,
                           List<ExtensionSpec> extensions, String origin, HttpHeaders headers) implements Outcome {
        public Accepted {
            subprotocols = List.copyOf(subprotocols);
            extensions = List.copyOf(extensions);
        }
    }

    /**
     * A refused request, to be answered with {@code status} and {@code headers}. {@code reason} says why,
     * for the server's log only: it may quote the request (a header's value, the configurator's exception),
     * so the response body is {@link #publicText()} instead.
     */
    public record Rejected(int status, String reason, HttpHeaders headers) implements Outcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(headers, "headers");
        }

        /**
         * What the response body says: a fixed text for the status, the same for every request, so a
         * refusal tells the client nothing it did not know (what its request held) and nothing about the
         * server (an exception's class or message). A body that quotes the request would be a reflection
         * of it to whoever can read the response; the headers (426's {@code Sec-WebSocket-Version}) carry
         * what a client needs to correct itself.
         */
        public String publicText() {
            return publicText(status);
        }

        /**
         * The body as {@link #rejectResponse} and the servlet integration write it: {@link #publicText()}
         * and a line feed, in UTF-8 (it is US-ASCII).
         */
        public byte[] body() {
            return (publicText() + "\n").getBytes(StandardCharsets.UTF_8);
        }

        /** The fixed text of {@link #publicText()} for {@code status}. */
        static String publicText(int status) {
            return switch (status) {
                case 400 -> "400 Bad Request: not a valid WebSocket opening handshake";
                case 426 -> "426 Upgrade Required: this server speaks WebSocket version " + WEBSOCKET_VERSION;
                default -> {
                    String phrase = HttpResponseHead.standardReason(status);
                    yield phrase.isEmpty() ? Integer.toString(status) : status + " " + phrase;
                }
            };
        }

        /** The rejection a server answers a malformed request head with; its status, 400 when it has none. */
        public static Rejected of(HandshakeException failure) {
            int status = failure.status() >= 400 && failure.status() <= 599 ? failure.status() : 400;
            return new Rejected(status, String.valueOf(failure.getMessage()), new HttpHeaders());
        }
    }

    /** Validates a request read by {@link HttpRequestHead.Parser}. */
    public static Outcome validate(HttpRequestHead request) {
        return validate(request.method(), request.version(), request.target(), request.headers());
    }

    /**
     * Validates an opening handshake request (RFC 6455 §4.2.1), in the order given in the class comment.
     *
     * @param method      the request method, e.g. {@code GET}
     * @param httpVersion the protocol as in the request line, e.g. {@code HTTP/1.1}
     * @param target      the request-target, e.g. {@code /chat?room=1}
     * @param headers     the request's header fields
     */
    public static Outcome validate(String method, String httpVersion, String target, HttpHeaders headers) {
        // §4.2.1 item 1: "An HTTP/1.1 or higher GET request, including a "Request-URI"".
        HttpVersion version = HttpVersion.parse(httpVersion);
        if (version == null) {
            return badRequest("malformed HTTP version: " + Ascii.excerpt(httpVersion));
        }
        if (!version.isAtLeast(HttpVersion.HTTP_1_1)) {
            return badRequest("the opening handshake requires HTTP/1.1 or higher, not " + version);
        }
        if (!"GET".equals(method)) {
            return badRequest("the opening handshake must be a GET request, not " + Ascii.excerpt(method));
        }
        if (!isOriginOrAbsoluteForm(target)) {
            return badRequest("request-target must be in origin-form or absolute-form: " + Ascii.excerpt(target));
        }
        // §4.2.1 item 2, and RFC 9112 §3.2: 400 for a missing Host, several Host lines, or an invalid one.
        List<String> hosts = headers.all("Host");
        if (hosts.isEmpty()) {
            return badRequest("missing Host header");
        }
        if (hosts.size() > 1) {
            return badRequest("more than one Host header");
        }
        if (!isValidHost(hosts.get(0))) {
            return badRequest("malformed Host header: " + Ascii.excerpt(hosts.get(0)));
        }
        // §4.2.1 items 3 and 4; the tokens are compared ASCII case-insensitively and may be in a list.
        if (!headers.containsToken("Upgrade", "websocket")) {
            return badRequest("missing 'Upgrade: websocket'");
        }
        if (!headers.containsToken("Connection", "Upgrade")) {
            return badRequest("the Connection header does not list 'Upgrade'");
        }
        // §4.2.1 item 5: a base64-encoded value that, when decoded, is 16 bytes in length.
        List<String> keys = headers.all("Sec-WebSocket-Key");
        if (keys.isEmpty()) {
            return badRequest("missing Sec-WebSocket-Key header");
        }
        if (keys.size() > 1) {
            return badRequest("more than one Sec-WebSocket-Key header");
        }
        String key = keys.get(0);
        if (!isValidKey(key)) {
            return badRequest("Sec-WebSocket-Key is not the base64 encoding of 16 bytes: " + Ascii.excerpt(key));
        }
        // §4.2.1 item 6, §4.2.2, §4.4: another version is answered 426 with the versions we speak.
        List<String> versions = headers.elements("Sec-WebSocket-Version");
        if (versions.size() != 1 || !WEBSOCKET_VERSION.equals(versions.get(0))) {
            String found = versions.isEmpty() ? "missing Sec-WebSocket-Version header"
                    : "unsupported Sec-WebSocket-Version: " + Ascii.excerpt(String.join(", ", versions));
            return new Rejected(426, found + "; this server supports version " + WEBSOCKET_VERSION,
                    HttpHeaders.of("Sec-WebSocket-Version", WEBSOCKET_VERSION));
        }
        // §4.2.1 item 8, §4.1 item 10: subprotocols are tokens (U+0021-U+007E, no separators).
        List<String> subprotocols = headers.elements("Sec-WebSocket-Protocol");
        for (String subprotocol : subprotocols) {
            if (!ExtensionHeader.isToken(subprotocol)) {
                return badRequest("Sec-WebSocket-Protocol element is not a token: " + Ascii.excerpt(subprotocol));
            }
        }
        // §4.2.1 item 9, §9.1. A line with an empty value offers nothing and is ignored.
        List<ExtensionSpec> extensions;
        try {
            extensions = ExtensionHeader.parse(nonBlank(headers.all("Sec-WebSocket-Extensions")));
        } catch (IllegalArgumentException e) {
            return badRequest("malformed Sec-WebSocket-Extensions header: " + Ascii.excerpt(e.getMessage()));
        }
        return new Accepted(target, key, acceptKey(key), subprotocols, extensions, headers.first("Origin"), headers);
    }

    /**
     * The {@code Sec-WebSocket-Accept} for {@code key}: base64(SHA-1(key + {@value #ACCEPT_GUID}))
     * (RFC 6455 §4.2.2 item 5.4).
     */
    public static String acceptKey(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
    }

    /**
     * The {@code 101 Switching Protocols} response to a validated request (RFC 6455 §4.2.2 item 5). Checks
     * that the server chose only what the client asked for, which the client would otherwise fail on
     * (§4.1).
     *
     * @param subprotocol  one of {@code request.subprotocols()}, or {@code null} for none
     * @param extensions   the accepted extensions with their response parameters, each named in
     *                     {@code request.extensions()}; possibly empty
     * @param extraHeaders further fields (e.g. {@code Set-Cookie}), not any of those this method writes
     * @throws IllegalArgumentException if the choice was not offered or an extra header is reserved
     */
    public static HttpResponseHead acceptResponse(Accepted request, String subprotocol, List<ExtensionSpec> extensions,
                                                  HttpHeaders extraHeaders) {
        if (subprotocol != null && !request.subprotocols().contains(subprotocol)) {
            throw new IllegalArgumentException("subprotocol " + subprotocol + " was not requested");
        }
        for (ExtensionSpec extension : extensions) {
            if (request.extensions().stream().noneMatch(offer -> offer.name().equals(extension.name()))) {
                throw new IllegalArgumentException("extension " + extension.name() + " was not offered");
            }
        }
        return acceptResponse(request.accept(), subprotocol, extensions, extraHeaders);
    }

    /**
     * The {@code 101 Switching Protocols} response head (RFC 6455 §4.2.2 item 5): {@code Upgrade},
     * {@code Connection}, {@code Sec-WebSocket-Accept}, then {@code Sec-WebSocket-Protocol} and
     * {@code Sec-WebSocket-Extensions} when chosen, then {@code extraHeaders}. Its
     * {@link HttpResponseHead#encode() bytes} are for a server that writes HTTP itself; its headers are for
     * a servlet container.
     *
     * @param accept       the value computed by {@link #acceptKey}
     * @param subprotocol  the chosen subprotocol, a token, or {@code null} for none
     * @param extensions   the accepted extensions, possibly empty
     * @param extraHeaders further fields, not any of those this method writes
     * @throws IllegalArgumentException if the subprotocol is not a token or an extra header is reserved
     */
    public static HttpResponseHead acceptResponse(String accept, String subprotocol, List<ExtensionSpec> extensions,
                                                  HttpHeaders extraHeaders) {
        Objects.requireNonNull(accept, "accept");
        if (subprotocol != null && !ExtensionHeader.isToken(subprotocol)) {
            throw new IllegalArgumentException("subprotocol is not a token: " + subprotocol);
        }
        for (String reserved : List.of("Upgrade", "Connection", "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol",
                "Sec-WebSocket-Extensions")) {
            if (extraHeaders.contains(reserved)) {
                throw new IllegalArgumentException(reserved + " is written by the handshake and cannot be added");
            }
        }
        HttpHeaders headers = HttpHeaders.of(
                "Upgrade", "websocket",
                "Connection", "Upgrade",
                "Sec-WebSocket-Accept", accept);
        if (subprotocol != null) {
            headers.add("Sec-WebSocket-Protocol", subprotocol);
        }
        if (!extensions.isEmpty()) {
            headers.add("Sec-WebSocket-Extensions", ExtensionHeader.format(extensions));
        }
        headers.addAll(extraHeaders);
        return HttpResponseHead.of(101, headers);
    }

    /**
     * The complete response refusing a request: the status line, {@code rejection.headers()},
     * {@code Content-Type: text/plain; charset=utf-8}, {@code Content-Length} and {@code Connection: close},
     * then {@link Rejected#body()}, which says nothing of the request ({@link Rejected#reason()} is for the
     * server's log). The server closes the connection after it.
     */
    public static byte[] rejectResponse(Rejected rejection) {
        byte[] body = rejection.body();
        HttpHeaders headers = rejection.headers().copy()
                .set("Content-Type", "text/plain; charset=utf-8")
                .set("Content-Length", Integer.toString(body.length))
                .set("Connection", "close");
        byte[] head = HttpResponseHead.of(rejection.status(), headers).encode();
        byte[] response = new byte[head.length + body.length];
        System.arraycopy(head, 0, response, 0, head.length);
        System.arraycopy(body, 0, response, head.length, body.length);
        return response;
    }

    private static Rejected badRequest(String reason) {
        return new Rejected(400, reason, new HttpHeaders());
    }

    private static List<String> nonBlank(List<String> values) {
        List<String> kept = new ArrayList<>();
        for (String value : values) {
            if (!Ascii.trimWhitespace(value).isEmpty()) {
                kept.add(value);
            }
        }
        return kept;
    }

    /** 24 base64 characters ending in "==" that decode to 16 bytes (RFC 6455 §4.1 item 7, §4.2.1 item 5). */
    static boolean isValidKey(String key) {
        if (key.length() != 24 || !key.endsWith("==")) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // origin-form = absolute-path [ "?" query ]; absolute-form = absolute-URI (RFC 9112 §3.2.1, §3.2.2).
    // GET allows neither authority-form nor asterisk-form. An absolute-form target must name an authority
    // ("scheme://"), which also tells it apart from an authority-form "host:port".
    private static boolean isOriginOrAbsoluteForm(String target) {
        if (target.startsWith("/")) {
            return true;
        }
        int colon = target.indexOf(':');
        if (colon < 1 || !isAsciiLetter(target.charAt(0)) || !target.startsWith("//", colon + 1)) {
            return false;
        }
        for (int i = 1; i < colon; i++) { // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1)
            char c = target.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    // Host = uri-host [ ":" port ] (RFC 9110 §7.2); uri-host = IP-literal / IPv4address / reg-name (RFC 3986 §3.2.2)
    static boolean isValidHost(String host) {
        String port;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 2) {
                return false;
            }
            for (int i = 1; i < close; i++) {
                char c = host.charAt(i);
                if (!isUnreserved(c) && !isSubDelimiter(c) && c != ':') {
                    return false;
                }
            }
            String rest = host.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return false;
            }
            port = rest.isEmpty() ? "" : rest.substring(1);
        } else {
            int colon = host.lastIndexOf(':');
            String name = colon < 0 ? host : host.substring(0, colon);
            port = colon < 0 ? "" : host.substring(colon + 1);
            if (name.isEmpty()) {
                return false;
            }
            // A comma is a sub-delim, but in Host it rather betrays two values joined into one (RFC 9110 §5.3).
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if ((!isUnreserved(c) && !isSubDelimiter(c) && c != '%') || c == ',') {
                    return false;
                }
            }
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    // unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~" (RFC 3986 §2.3)
    private static boolean isUnreserved(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }

    // sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "=" (RFC 3986 §2.2)
    private static boolean isSubDelimiter(char c) {
        return "!$&'()*+,;=".indexOf(c) >= 0;
    }
}
