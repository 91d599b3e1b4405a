package io.breakwater.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Frames an HTTP/1.1 message head (RFC 9112 §2.1) fed in arbitrary pieces: the start line, then field
 * lines up to the empty line. It takes bytes one at a time and stops right after the CRLF that ends the
 * head, so whatever follows (the first WebSocket frames) stays in the buffer. The start line is handed
 * to a {@link StartLineParser}; field lines are parsed here into {@link HttpHeaders}.
 *
 * <p>Strict: lines must end with CRLF (a bare CR or bare LF is an error), control characters other than
 * HTAB are refused anywhere, obsolete line folding is refused (RFC 9112 §5.2), and so is white space
 * between a field name and its colon (RFC 9112 §5.1).
 */
final class HeadReader {

    /** The statuses a malformed or oversized head is reported with. */
    record Statuses(int malformed, int startLineTooLong, int fieldsTooLarge) {
        /** A server answers a bad request with 400, an overlong request line with 414 (RFC 9112 §3), big fields with 431. */
        static final Statuses REQUEST = new Statuses(400, 414, 431);
        /** A client has no status to answer with. */
        static final Statuses RESPONSE = new Statuses(
                HandshakeException.NO_STATUS, HandshakeException.NO_STATUS, HandshakeException.NO_STATUS);
    }

    /** Interprets the start line (request line or status line). */
    @FunctionalInterface
    interface StartLineParser {
        void parse(String startLine) throws HandshakeException;
    }

    private final HeadLimits limits;
    private final Statuses statuses;
    private final boolean ignoreLeadingEmptyLines;
    private final StartLineParser startLineParser;
    private final HttpHeaders headers = new HttpHeaders();

    private byte[] line = new byte[128];
    private int lineLength;
    private int headBytes;
    private boolean afterCarriageReturn;
    private boolean startLineRead;
    private boolean complete;
    private boolean failed;

    /**
     * @param ignoreLeadingEmptyLines whether empty lines before the start line are skipped, as a server
     *                                should do for a request (RFC 9112 §2.2)
     */
    HeadReader(HeadLimits limits, Statuses statuses, boolean ignoreLeadingEmptyLines, StartLineParser startLineParser) {
        this.limits = limits;
        this.statuses = statuses;
        this.ignoreLeadingEmptyLines = ignoreLeadingEmptyLines;
        this.startLineParser = startLineParser;
    }

    /**
     * Consumes bytes of {@code input} up to the end of the head.
     *
     * @return whether the head is complete; if so, {@code input} is positioned just after it
     * @throws HandshakeException    if the head is malformed or exceeds the limits
     * @throws IllegalStateException if an earlier call threw
     */
    boolean read(ByteBuffer input) throws HandshakeException {
        if (complete) {
            return true;
        }
        if (failed) {
            throw new IllegalStateException("this head was already rejected");
        }
        try {
            while (input.hasRemaining()) {
                byte b = input.get();
                if (++headBytes > limits.maxHeadBytes()) {
                    throw startLineRead
                            ? new HandshakeException(statuses.fieldsTooLarge(),
                                    "header section exceeds " + limits.maxHeadBytes() + " bytes")
                            : new HandshakeException(statuses.startLineTooLong(),
                                    "start line exceeds " + limits.maxHeadBytes() + " bytes");
                }
                if (afterCarriageReturn) {
                    if (b != '\n') {
                        throw malformed("CR not followed by LF (RFC 9112 §2.2)");
                    }
                    afterCarriageReturn = false;
                    if (endOfLine()) {
                        complete = true;
                        return true;
                    }
                } else if (b == '\r') {
                    afterCarriageReturn = true;
                } else if (b == '\n') {
                    throw malformed("line ended by a bare LF; CRLF is required (RFC 9112 §2.1)");
                } else if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7F) {
                    throw malformed(String.format("control character 0x%02X in the head (RFC 9110 §5.5)", b));
                } else {
                    append(b);
                }
            }
            return false;
        } catch (HandshakeException e) {
            failed = true;
            throw e;
        }
    }

    /** The header fields; complete once {@link #read} returned {@code true}. */
    HttpHeaders headers() {
        return headers;
    }

    /** Handles the line just ended by CRLF; whether it was the empty line that ends the head. */
    private boolean endOfLine() throws HandshakeException {
        // ISO-8859-1 maps each byte to one char, so obs-text (%x80-FF) survives unchanged.
        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        lineLength = 0;
        if (!startLineRead) {
            if (text.isEmpty() && ignoreLeadingEmptyLines) {
                return false;
            }
            startLineParser.parse(text);
            startLineRead = true;
            return false;
        }
        if (text.isEmpty()) {
            return true;
        }
        addField(text);
        return false;
    }

    // field-line = field-name ":" OWS field-value OWS (RFC 9112 §5)
    private void addField(String text) throws HandshakeException {
        if (Ascii.isWhitespace(text.charAt(0))) {
            throw malformed("obsolete line folding is not accepted (RFC 9112 §5.2)");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw malformed("header line without a colon: " + Ascii.excerpt(text));
        }
        String name = text.substring(0, colon);
        if (name.isEmpty()) {
            throw malformed("header line with an empty name");
        }
        if (Ascii.isWhitespace(name.charAt(name.length() - 1))) {
            throw malformed("white space between header name and colon (RFC 9112 §5.1): " + Ascii.excerpt(name));
        }
        if (!ExtensionHeader.isToken(name)) {
            throw malformed("header name is not a token (RFC 9110 §5.1): " + Ascii.excerpt(name));
        }
        if (headers.size() >= limits.maxHeaderCount()) {
            throw new HandshakeException(statuses.fieldsTooLarge(),
                    "more than " + limits.maxHeaderCount() + " header fields");
        }
        headers.add(name, Ascii.trimWhitespace(text.substring(colon + 1)));
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            byte[] larger = new byte[Math.min(line.length * 2, Math.max(limits.maxHeadBytes(), line.length + 1))];
            System.arraycopy(line, 0, larger, 0, lineLength);
            line = larger;
        }
        line[lineLength++] = b;
    }

    private HandshakeException malformed(String message) {
        return new HandshakeException(statuses.malformed(), message);
    }
}
