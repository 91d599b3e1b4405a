package io.breakwater.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The head of an HTTP/1.1 request: {@code method SP request-target SP HTTP-version CRLF}, field lines,
 * and an empty line (RFC 9112 §2.1, §3).
 *
 * @param method  a token, case-sensitive (RFC 9110 §9.1), e.g. {@code GET}
 * @param target  the request-target as written, e.g. {@code /chat?room=1}: visible ASCII, no spaces
 * @param version e.g. {@code HTTP/1.1}
 * @param headers the header fields
 */
public record HttpRequestHead(String method, String target, String version, HttpHeaders headers) {

    /**
     * @throws IllegalArgumentException if a part cannot be written in a request line
     */
    public HttpRequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(headers, "headers");
        if (!ExtensionHeader.isToken(method)) {
            throw new IllegalArgumentException("method is not a token: " + Ascii.excerpt(method));
        }
        if (target.isEmpty()) {
            throw new IllegalArgumentException("empty request-target");
        }
        for (int i = 0; i < target.length(); i++) {
            if (!Ascii.isVisible(target.charAt(i))) {
                throw new IllegalArgumentException(String.format(
                        "character U+%04X not allowed in the request-target", (int) target.charAt(i)));
            }
        }
        if (!HttpVersion.isValid(version)) {
            throw new IllegalArgumentException("malformed HTTP version: " + Ascii.excerpt(version));
        }
    }

    /** A parser with {@link HeadLimits#DEFAULT}. */
    public static Parser parser() {
        return new Parser(HeadLimits.DEFAULT);
    }

    public static Parser parser(HeadLimits limits) {
        return new Parser(limits);
    }

    /** This head as bytes: request line, field lines, empty line; ISO-8859-1, so obs-text round-trips. */
    public byte[] encode() {
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(target).append(' ').append(version).append("\r\n");
        headers.appendTo(head);
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads one request head from buffers fed in any split, down to one byte at a time, without I/O.
     * It consumes bytes up to and including the CRLF that ends the head and no further. A malformed head
     * throws a {@link HandshakeException} whose status is the one to answer with: 400, 414 for a request
     * line longer than the head limit, 431 for too many or too large header fields. Empty lines before
     * the request line are skipped (RFC 9112 §2.2). One parser reads one head.
     */
    public static final class Parser {
        private final HeadReader reader;
        private String method;
        private String target;
        private String version;
        private HttpRequestHead result;

        private Parser(HeadLimits limits) {
            reader = new HeadReader(Objects.requireNonNull(limits, "limits"), HeadReader.Statuses.REQUEST, true,
                    this::parseRequestLine);
        }

        /**
         * Consumes what {@code input} holds of the head.
         *
         * @return the head once complete ({@code input} then stands just after it), else empty
         * @throws HandshakeException    if the head is malformed or exceeds the limits
         * @throws IllegalStateException if called again after a {@link HandshakeException}
         */
        public Optional<HttpRequestHead> parse(ByteBuffer input) throws HandshakeException {
            if (result == null && reader.read(input)) {
                result = new HttpRequestHead(method, target, version, reader.headers());
            }
            return Optional.ofNullable(result);
        }

        /** Whether the whole head has been read. */
        public boolean isComplete() {
            return result != null;
        }

        // request-line = method SP request-target SP HTTP-version (RFC 9112 §3), with single spaces
        private void parseRequestLine(String line) throws HandshakeException {
            int first = line.indexOf(' ');
            int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
            if (first < 0 || second < 0 || line.indexOf(' ', second + 1) >= 0) {
                throw new HandshakeException(400,
                        "request line is not 'method SP request-target SP HTTP-version': " + Ascii.excerpt(line));
            }
            String parsedMethod = line.substring(0, first);
            String parsedTarget = line.substring(first + 1, second);
            String parsedVersion = line.substring(second + 1);
            try {
                new HttpRequestHead(parsedMethod, parsedTarget, parsedVersion, new HttpHeaders());
            } catch (IllegalArgumentException e) {
                throw new HandshakeException(400, "malformed request line: " + e.getMessage(), e);
            }
            method = parsedMethod;
            target = parsedTarget;
            version = parsedVersion;
        }
    }
}
