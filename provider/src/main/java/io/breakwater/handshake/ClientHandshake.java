package io.breakwater.handshake;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * The client's side of the opening handshake (RFC 6455 §4.1): the request for a {@code ws://} or
 * {@code wss://} URI ({@link #request()}), and the validation of the server's response ({@link #validate}).
 * One instance per connection attempt, as it holds the key the response must answer.
 *
 * <pre>{@code
 * ClientHandshake handshake = ClientHandshake.builder(URI.create("wss://example.com/chat"))
 *         .subprotocols(List.of("chat.v2", "chat"))
 *         .origin("https://example.com")
 *         .build();
 * channel.write(ByteBuffer.wrap(handshake.request().encode()));
 * // read with HttpResponseHead.parser(), then:
 * ClientHandshake.Result result = handshake.validate(responseHead);
 * }</pre>
 */
public final class ClientHandshake {

    /** Header fields the handshake itself writes and checks; {@link Builder#header} refuses them. */
    private static final List<String> RESERVED_HEADERS = List.of("Host", "Upgrade", "Connection", "Sec-WebSocket-Key",
            "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept");

    private static final class DefaultRandom {
        static final SecureRandom INSTANCE = new SecureRandom();
    }

    private final URI uri;
    private final boolean secure;
    private final String host;
    private final int port;
    private final String key;
    private final List<String> subprotocols;
    private final List<ExtensionSpec> extensions;
    private final HttpRequestHead request;

    private ClientHandshake(Builder builder) {
        uri = builder.uri;
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        // RFC 6455 §3: only ws and wss URIs, without a fragment.
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("not a ws:// or wss:// URI: " + uri);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a WebSocket URI must not have a fragment (RFC 6455 §3): " + uri);
        }
        String uriHost = uri.getHost(); // an IPv6 literal comes in brackets
        if (uriHost == null || uriHost.isEmpty()) {
            throw new IllegalArgumentException("URI without a host name: " + uri);
        }
        secure = scheme.equals("wss");
        int defaultPort = secure ? 443 : 80;
        port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        host = uriHost.startsWith("[") && uriHost.endsWith("]") ? uriHost.substring(1, uriHost.length() - 1) : uriHost;
        subprotocols = List.copyOf(builder.subprotocols);
        extensions = List.copyOf(builder.extensions);

        // RFC 6455 §4.1 item 7: the key is a randomly selected 16-byte value, base64-encoded.
        byte[] nonce = new byte[16];
        (builder.random != null ? builder.random : DefaultRandom.INSTANCE).nextBytes(nonce);
        key = Base64.getEncoder().encodeToString(nonce);

        // RFC 6455 §4.1 items 4-12, in that order.
        HttpHeaders headers = HttpHeaders.of(
                "Host", port == defaultPort ? uriHost : uriHost + ":" + port,
                "Upgrade", "websocket",
                "Connection", "Upgrade",
                "Sec-WebSocket-Key", key,
                "Sec-WebSocket-Version", ServerHandshake.WEBSOCKET_VERSION);
        if (builder.origin != null) {
            headers.add("Origin", builder.origin);
        }
        if (!subprotocols.isEmpty()) {
            headers.add("Sec-WebSocket-Protocol", String.join(", ", subprotocols));
        }
        if (!extensions.isEmpty()) {
            headers.add("Sec-WebSocket-Extensions", ExtensionHeader.format(extensions));
        }
        headers.addAll(builder.extraHeaders);
        request = new HttpRequestHead("GET", requestTarget(uri), "HTTP/1.1", headers);
    }

    /** A builder for a handshake to {@code uri}, a {@code ws://} or {@code wss://} URI without fragment. */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    public URI uri() {
        return uri;
    }

    /** Whether the connection must use TLS ({@code wss}). */
    public boolean secure() {
        return secure;
    }

    /** The host to connect to; an IPv6 literal without its brackets. */
    public String host() {
        return host;
    }

    /** The port to connect to: the URI's, or 80 for {@code ws} and 443 for {@code wss}. */
    public int port() {
        return port;
    }

    /** The {@code Sec-WebSocket-Key} sent. */
    public String key() {
        return key;
    }

    /** The {@code Sec-WebSocket-Accept} the server must answer. */
    public String expectedAccept() {
        return ServerHandshake.acceptKey(key);
    }

    /** The requested subprotocols, in order of preference. */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /** The offered extensions. */
    public List<ExtensionSpec> extensions() {
        return extensions;
    }

    /** The request to send; {@link HttpRequestHead#encode()} gives its bytes. */
    public HttpRequestHead request() {
        return request;
    }

    /**
     * What the server agreed to.
     *
     * @param subprotocol the subprotocol the server chose, or {@code null} for none
     * @param extensions  the extensions in use, with the server's parameters, in the server's order
     * @param headers     every header field of the response
     */
    public record Result(String subprotocol, List<ExtensionSpec> extensions, HttpHeaders headers) {
        public Result {
            extensions = List.copyOf(extensions);
        }
    }

    /**
     * Validates the server's response (RFC 6455 §4.1, "the client MUST validate the server's response").
     *
     * @throws HandshakeException with the received status if the response is not a valid 101 to this
     *                            request; its message says which rule failed
     */
    public Result validate(HttpResponseHead response) throws HandshakeException {
        int status = response.status();
        HttpHeaders headers = response.headers();
        // §4.1 item 1: any status other than 101 is handled per HTTP; here it ends the attempt.
        if (status != 101) {
            String message = "the server answered " + status
                    + (response.reason().isEmpty() ? "" : " " + Ascii.excerpt(response.reason()))
                    + " instead of 101 Switching Protocols";
            if (status == 426 && headers.contains("Sec-WebSocket-Version")) {
                message += "; it supports Sec-WebSocket-Version " + Ascii.excerpt(
                        String.join(", ", headers.all("Sec-WebSocket-Version")));
            }
            throw new HandshakeException(status, message);
        }
        // §4.1 item 2: Upgrade must be "websocket", ASCII case-insensitively.
        List<String> upgrades = headers.elements("Upgrade");
        if (upgrades.isEmpty()) {
            throw failed("missing Upgrade header");
        }
        if (upgrades.size() != 1 || !Ascii.equalsIgnoreCase(upgrades.get(0), "websocket")) {
            throw failed("Upgrade is not 'websocket': " + Ascii.excerpt(String.join(", ", upgrades)));
        }
        // §4.1 item 3: Connection must contain the token "Upgrade", ASCII case-insensitively.
        if (!headers.contains("Connection")) {
            throw failed("missing Connection header");
        }
        if (!headers.containsToken("Connection", "Upgrade")) {
            throw failed("Connection does not list 'Upgrade': "
                    + Ascii.excerpt(String.join(", ", headers.all("Connection"))));
        }
        // §4.1 item 4: Sec-WebSocket-Accept must be base64(SHA-1(key + GUID)), compared exactly.
        List<String> accepts = headers.all("Sec-WebSocket-Accept");
        if (accepts.isEmpty()) {
            throw failed("missing Sec-WebSocket-Accept header");
        }
        if (accepts.size() > 1) {
            throw failed("more than one Sec-WebSocket-Accept header");
        }
        if (!accepts.get(0).equals(expectedAccept())) {
            throw failed("Sec-WebSocket-Accept " + Ascii.excerpt(accepts.get(0)) + " does not answer the key; expected "
                    + expectedAccept());
        }
        // §4.1 item 5: only extensions the client offered.
        List<ExtensionSpec> accepted;
        try {
            accepted = ExtensionHeader.parse(headers.all("Sec-WebSocket-Extensions"));
        } catch (IllegalArgumentException e) {
            throw failed("malformed Sec-WebSocket-Extensions header: " + Ascii.excerpt(e.getMessage()), e);
        }
        Set<String> offered = new HashSet<>();
        for (ExtensionSpec offer : extensions) {
            offered.add(offer.name());
        }
        for (ExtensionSpec extension : accepted) {
            if (!offered.contains(extension.name())) {
                throw failed("the server accepted extension " + Ascii.excerpt(extension.name())
                        + ", which was not offered");
            }
        }
        // §4.1 item 6: at most one subprotocol, and one that was requested (§4.2.2: a single value).
        List<String> protocolLines = headers.all("Sec-WebSocket-Protocol");
        String subprotocol = null;
        if (!protocolLines.isEmpty()) {
            List<String> chosen = headers.elements("Sec-WebSocket-Protocol");
            if (chosen.isEmpty()) {
                throw failed("empty Sec-WebSocket-Protocol header");
            }
            if (chosen.size() > 1) {
                throw failed("the server chose more than one subprotocol: "
                        + Ascii.excerpt(String.join(", ", chosen)));
            }
            subprotocol = chosen.get(0);
            if (!subprotocols.contains(subprotocol)) {
                throw failed("the server chose subprotocol " + Ascii.excerpt(subprotocol) + ", which was not requested");
            }
        }
        return new Result(subprotocol, accepted, headers);
    }

    private static HandshakeException failed(String message) {
        return new HandshakeException(101, message);
    }

    private static HandshakeException failed(String message, Throwable cause) {
        return new HandshakeException(101, message, cause);
    }

    // RFC 6455 §3 "resource name": the path ("/" when empty), then "?" and the query when there is one.
    // The raw (still percent-encoded) forms are kept; characters a URI may hold but a request line may not
    // (non-ASCII) are percent-encoded as UTF-8 (RFC 3986 §2.1).
    private static String requestTarget(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery();
        return percentEncodeNonAscii(query == null ? path : path + "?" + query);
    }

    private static String percentEncodeNonAscii(String text) {
        StringBuilder encoded = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int next = i + Character.charCount(codePoint);
            if (codePoint > 0x20 && codePoint < 0x7F) {
                encoded.append((char) codePoint);
            } else {
                for (byte b : text.substring(i, next).getBytes(StandardCharsets.UTF_8)) {
                    encoded.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            }
            i = next;
        }
        return encoded.toString();
    }

    /** Collects what the request says beyond the URI. */
    public static final class Builder {
        private final URI uri;
        private List<String> subprotocols = List.of();
        private List<ExtensionSpec> extensions = List.of();
        private String origin;
        private final HttpHeaders extraHeaders = new HttpHeaders();
        private Random random;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /**
         * The subprotocols to request, most preferred first (RFC 6455 §4.1 item 10).
         *
         * @throws IllegalArgumentException if one is not a token or one is repeated
         */
        public Builder subprotocols(List<String> subprotocols) {
            Set<String> seen = new HashSet<>();
            for (String subprotocol : subprotocols) {
                if (!ExtensionHeader.isToken(subprotocol)) {
                    throw new IllegalArgumentException("subprotocol is not a token: " + subprotocol);
                }
                if (!seen.add(subprotocol)) {
                    throw new IllegalArgumentException("subprotocol requested twice: " + subprotocol);
                }
            }
            this.subprotocols = List.copyOf(subprotocols);
            return this;
        }

        /** The extensions to offer, with their parameters (RFC 6455 §4.1 item 11). */
        public Builder extensions(List<ExtensionSpec> extensions) {
            this.extensions = List.copyOf(extensions);
            return this;
        }

        /** The {@code Origin} to send (RFC 6455 §4.1 item 8, RFC 6454), or {@code null} for none. */
        public Builder origin(String origin) {
            if (origin != null) {
                new HttpHeaders.Field("Origin", origin); // validates the value
            }
            this.origin = origin;
            return this;
        }

        /**
         * Adds a header field after the handshake's own (e.g. {@code Cookie}, {@code Authorization}).
         * An {@code Origin} replaces the one set by {@link #origin}.
         *
         * @throws IllegalArgumentException for a field the handshake writes itself: {@code Host},
         *                                  {@code Upgrade}, {@code Connection} and the {@code Sec-WebSocket-*} fields
         */
        public Builder header(String name, String value) {
            for (String reserved : RESERVED_HEADERS) {
                if (Ascii.equalsIgnoreCase(name, reserved)) {
                    throw new IllegalArgumentException(reserved + " is written by the handshake and cannot be set");
                }
            }
            if (Ascii.equalsIgnoreCase(name, "Origin")) {
                return origin(value);
            }
            extraHeaders.add(name, value);
            return this;
        }

        /** Adds every field of {@code headers} with {@link #header}. */
        public Builder headers(HttpHeaders headers) {
            for (HttpHeaders.Field field : headers.fields()) {
                header(field.name(), field.value());
            }
            return this;
        }

        /** The source of the key's 16 random bytes; a shared {@link SecureRandom} unless set. */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * @throws IllegalArgumentException if the URI is not a {@code ws} or {@code wss} URI with a host and
         *                                  without fragment
         */
        public ClientHandshake build() {
            return new ClientHandshake(this);
        }
    }
}
