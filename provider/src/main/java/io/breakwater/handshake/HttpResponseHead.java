package io.breakwater.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The head of an HTTP/1.1 response: {@code HTTP-version SP status-code SP [reason-phrase] CRLF}, field
 * lines, and an empty line (RFC 9112 §2.1, §4).
 *
 * @param version e.g. {@code HTTP/1.1}
 * @param status  the three-digit status code, 100 to 999
 * @param reason  the reason phrase, possibly empty; meaningless to the protocol (RFC 9112 §4)
 * @param headers the header fields
 */
public record HttpResponseHead(String version, int status, String reason, HttpHeaders headers) {

    /**
     * @throws IllegalArgumentException if a part cannot be written in a status line
     */
    public HttpResponseHead {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(headers, "headers");
        if (!HttpVersion.isValid(version)) {
            throw new IllegalArgumentException("malformed HTTP version: " + Ascii.excerpt(version));
        }
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status code must have three digits: " + status);
        }
        for (int i = 0; i < reason.length(); i++) {
            if (!Ascii.isFieldValueChar(reason.charAt(i))) {
                throw new IllegalArgumentException(String.format(
                        "character U+%04X not allowed in a reason phrase", (int) reason.charAt(i)));
            }
        }
    }

    /** An {@code HTTP/1.1} response with the usual reason phrase of {@code status} (see {@link #standardReason}). */
    public static HttpResponseHead of(int status, HttpHeaders headers) {
        return new HttpResponseHead("HTTP/1.1", status, standardReason(status), headers);
    }

    /** The reason phrase RFC 9110 §15 gives a status code, or an empty string for one not listed here. */
    public static String standardReason(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 414 -> "URI Too Long";
            case 426 -> "Upgrade Required";
            case 431 -> "Request Header Fields Too Large"; // RFC 6585 §5
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "";
        };
    }

    /** A parser with {@link HeadLimits#DEFAULT}. */
    public static Parser parser() {
        return new Parser(HeadLimits.DEFAULT);
    }

    public static Parser parser(HeadLimits limits) {
        return new Parser(limits);
    }

    /** This head as bytes: status line, field lines, empty line; ISO-8859-1, so obs-text round-trips. */
    public byte[] encode() {
        StringBuilder head = new StringBuilder(256);
        head.append(version).append(' ').append(status).append(' ').append(reason).append("\r\n");
        headers.appendTo(head);
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads one response head from buffers fed in any split, down to one byte at a time, without I/O.
     * It consumes bytes up to and including the CRLF that ends the head and no further, so frames sent
     * right after a {@code 101} stay in the buffer. A malformed or oversized head throws a
     * {@link HandshakeException} with status {@link HandshakeException#NO_STATUS}. One parser reads one head.
     */
    public static final class Parser {
        private final HeadReader reader;
        private String version;
        private int status;
        private String reason;
        private HttpResponseHead result;

        private Parser(HeadLimits limits) {
            reader = new HeadReader(Objects.requireNonNull(limits, "limits"), HeadReader.Statuses.RESPONSE, false,
                    this::parseStatusLine);
        }

        /**
         * Consumes what {@code input} holds of the head.
         *
         * @return the head once complete ({@code input} then stands just after it), else empty
         * @throws HandshakeException    if the head is malformed or exceeds the limits
         * @throws IllegalStateException if called again after a {@link HandshakeException}
         */
        public Optional<HttpResponseHead> parse(ByteBuffer input) throws HandshakeException {
            if (result == null && reader.read(input)) {
                result = new HttpResponseHead(version, status, reason, reader.headers());
            }
            return Optional.ofNullable(result);
        }

        /** Whether the whole head has been read. */
        public boolean isComplete() {
            return result != null;
        }

        // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4); the second SP may be
        // missing when there is no reason phrase, as many servers write it.
        private void parseStatusLine(String line) throws HandshakeException {
            if (line.length() < 12 || line.charAt(8) != ' ' || (line.length() > 12 && line.charAt(12) != ' ')) {
                throw malformedStatusLine(line);
            }
            String parsedVersion = line.substring(0, 8);
            String code = line.substring(9, 12);
            if (!HttpVersion.isValid(parsedVersion) || !code.chars().allMatch(c -> c >= '0' && c <= '9')
                    || code.charAt(0) == '0') {
                throw malformedStatusLine(line);
            }
            version = parsedVersion;
            status = Integer.parseInt(code);
            reason = line.length() > 12 ? line.substring(13) : "";
        }

        private static HandshakeException malformedStatusLine(String line) {
            return new HandshakeException(HandshakeException.NO_STATUS,
                    "status line is not 'HTTP-version SP status-code SP reason-phrase': " + Ascii.excerpt(line));
        }
    }
}
