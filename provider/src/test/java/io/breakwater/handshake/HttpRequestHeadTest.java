package io.breakwater.handshake;

import static io.breakwater.handshake.HeadParsing.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRequestHeadTest {

    private static final String HEAD = "GET /chat?room=1&x=%20 HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "X-Empty:\r\n"
            + "X-Spaces: \t padded \t \r\n"
            + "X-Obs-Text: caf\u00E9\r\n"
            + "\r\n";

    /** A masked text frame "Hi", as it could follow the head in the same read. */
    private static final byte[] FRAME = {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 'H' ^ 1, 'i' ^ 2};

    private static byte[] headAndFrame() {
        byte[] head = bytes(HEAD);
        byte[] input = new byte[head.length + FRAME.length];
        System.arraycopy(head, 0, input, 0, head.length);
        System.arraycopy(FRAME, 0, input, head.length, FRAME.length);
        return input;
    }

    private static HttpRequestHead expected() {
        return new HttpRequestHead("GET", "/chat?room=1&x=%20", "HTTP/1.1", new HttpHeaders()
                .add("Host", "server.example.com")
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .add("Origin", "http://example.com")
                .add("Sec-WebSocket-Protocol", "chat, superchat")
                .add("Sec-WebSocket-Version", "13")
                .add("X-Empty", "")
                .add("X-Spaces", "padded")
                .add("X-Obs-Text", "caf\u00E9"));
    }

    private static HttpRequestHead parse(String head) throws HandshakeException {
        return HeadParsing.parseWhole(HttpRequestHead.parser()::parse, bytes(head), 0);
    }

    private static HandshakeException failure(String head) {
        return failure(HttpRequestHead.parser(), head);
    }

    private static HandshakeException failure(HttpRequestHead.Parser parser, String head) {
        return assertThrows(HandshakeException.class, () -> parser.parse(ByteBuffer.wrap(bytes(head))));
    }

    @Test
    void parsesRequestLineAndHeadersLeavingTheFrameThatFollows() throws HandshakeException {
        byte[] input = headAndFrame();
        HttpRequestHead head = HeadParsing.parseWhole(HttpRequestHead.parser()::parse, input, FRAME.length);
        assertEquals(expected(), head);
        assertEquals("GET", head.method());
        assertEquals("/chat?room=1&x=%20", head.target());
        assertEquals("HTTP/1.1", head.version());
        assertEquals("server.example.com", head.headers().first("host"));
    }

    @Test
    void givesTheSameHeadOneByteAtATime() throws HandshakeException {
        byte[] input = headAndFrame();
        assertEquals(expected(), HeadParsing.parseByteByByte(HttpRequestHead.parser()::parse, input, bytes(HEAD).length));
    }

    @Test
    void givesTheSameHeadSplitAtEveryPosition() throws HandshakeException {
        byte[] input = headAndFrame();
        int headLength = bytes(HEAD).length;
        for (int split = 0; split <= input.length; split++) {
            assertEquals(expected(), HeadParsing.parseSplit(HttpRequestHead.parser()::parse, input, split, headLength),
                    "split at " + split);
        }
    }

    @Test
    void aCompleteParserConsumesNothingMore() throws HandshakeException {
        HttpRequestHead.Parser parser = HttpRequestHead.parser();
        assertFalse(parser.isComplete());
        parser.parse(ByteBuffer.wrap(bytes(HEAD)));
        assertTrue(parser.isComplete());
        ByteBuffer more = ByteBuffer.wrap(FRAME);
        assertEquals(expected(), parser.parse(more).orElseThrow());
        assertEquals(FRAME.length, more.remaining());
    }

    @Test
    void anEmptyBufferChangesNothing() throws HandshakeException {
        HttpRequestHead.Parser parser = HttpRequestHead.parser();
        assertFalse(parser.parse(ByteBuffer.allocate(0)).isPresent());
        assertEquals(expected(), parser.parse(ByteBuffer.wrap(bytes(HEAD))).orElseThrow());
    }

    @Test
    void skipsEmptyLinesBeforeTheRequestLine() throws HandshakeException {
        HttpRequestHead head = parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("/", head.target());
        assertEquals(1, head.headers().size());
    }

    @Test
    void acceptsAHeadWithoutHeaderFields() throws HandshakeException {
        HttpRequestHead head = parse("GET / HTTP/1.0\r\n\r\n");
        assertEquals("HTTP/1.0", head.version());
        assertTrue(head.headers().isEmpty());
    }

    @Test
    void keepsAbsoluteFormAndOtherMethods() throws HandshakeException {
        HttpRequestHead head = parse("POST http://example.com/x HTTP/1.1\r\n\r\n");
        assertEquals("POST", head.method());
        assertEquals("http://example.com/x", head.target());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1 \r\n\r\n",
        " GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1 extra\r\n\r\n",
        "GET\t/ HTTP/1.1\r\n\r\n",
        "GET /a\tb HTTP/1.1\r\n\r\n",
        "GET /caf\u00E9 HTTP/1.1\r\n\r\n",
        "G(T / HTTP/1.1\r\n\r\n",
        "GET / http/1.1\r\n\r\n",
        "GET / HTTP/1.10\r\n\r\n",
        "GET / HTTP/11\r\n\r\n",
        "GET / HTTP/a.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n \tfolded\r\n\r\n",
        "GET / HTTP/1.1\r\n folded-first: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n",
        "GET / HTTP/1.1\r\nNo colon\r\n\r\n",
        "GET / HTTP/1.1\r\n: no name\r\n\r\n",
        "GET / HTTP/1.1\r\nBad(Name): a\r\n\r\n",
        "GET / HTTP/1.1\r\nBad/Name: a\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\u0000b\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\u0001b\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\u007Fb\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\u001Bb\r\n\r\n",
    })
    void rejectsMalformedHeadsWith400(String head) {
        assertEquals(400, failure(head).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n\n",
        "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\r\n",
    })
    void requiresCrLfAndRejectsBareCrOrLf(String head) {
        HandshakeException failure = failure(head);
        assertEquals(400, failure.status());
    }

    @Test
    void namesTheProblem() {
        assertTrue(failure("GET / HTTP/1.1\r\nHost : a\r\n\r\n").getMessage().contains("RFC 9112 §5.1"));
        assertTrue(failure("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n").getMessage().contains("folding"));
        assertTrue(failure("GET / HTTP/1.1\nA: b\r\n\r\n").getMessage().contains("bare LF"));
        assertTrue(failure("GET / HTTP/1.1\rA: b\r\n\r\n").getMessage().contains("CR not followed by LF"));
    }

    @Test
    void aFailedParserRefusesMoreInput() {
        HttpRequestHead.Parser parser = HttpRequestHead.parser();
        failure(parser, "GET / HTTP/1.1\nHost: a\r\n\r\n");
        assertThrows(IllegalStateException.class, () -> parser.parse(ByteBuffer.wrap(bytes("\r\n"))));
    }

    @Test
    void failsAsSoonAsTheRequestLineIsBadWithoutWaitingForTheEnd() {
        HttpRequestHead.Parser parser = HttpRequestHead.parser();
        HandshakeException failure = assertThrows(HandshakeException.class,
                () -> parser.parse(ByteBuffer.wrap(bytes("\u0016\u0003\u0001"))));
        assertEquals(400, failure.status()); // e.g. a TLS ClientHello sent to a plain port
    }

    @Test
    void acceptsAHeadOfExactlyTheMaximumSize() throws HandshakeException {
        String head = "GET / HTTP/1.1\r\nX: " + "a".repeat(100) + "\r\n\r\n";
        HttpRequestHead.Parser parser = HttpRequestHead.parser(new HeadLimits(bytes(head).length, 100));
        assertTrue(parser.parse(ByteBuffer.wrap(bytes(head))).isPresent());
    }

    @Test
    void rejectsAHeadOneByteOverTheMaximumWith431() {
        String head = "GET / HTTP/1.1\r\nX: " + "a".repeat(100) + "\r\n\r\n";
        HttpRequestHead.Parser parser = HttpRequestHead.parser(new HeadLimits(bytes(head).length - 1, 100));
        assertEquals(431, failure(parser, head).status());
    }

    @Test
    void rejectsHeadersOverTheDefault16KiBWith431() {
        String head = "GET / HTTP/1.1\r\nCookie: " + "a".repeat(16 * 1024) + "\r\n\r\n";
        assertEquals(431, failure(head).status());
    }

    @Test
    void stopsReadingAtTheLimitEvenWithoutALineEnd() {
        HttpRequestHead.Parser parser = HttpRequestHead.parser(new HeadLimits(64, 100));
        ByteBuffer endless = ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nX: " + "a".repeat(1000)));
        assertEquals(431, assertThrows(HandshakeException.class, () -> parser.parse(endless)).status());
        assertEquals(65, endless.position());
    }

    @Test
    void rejectsARequestLineOverTheLimitWith414() {
        String head = "GET /" + "a".repeat(16 * 1024) + " HTTP/1.1\r\n\r\n";
        assertEquals(414, failure(head).status());
    }

    @Test
    void acceptsTheMaximumHeaderCount() throws HandshakeException {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 100; i++) {
            head.append("X-").append(i).append(": v\r\n");
        }
        assertEquals(100, parse(head.append("\r\n").toString()).headers().size());
    }

    @Test
    void rejectsMoreThanTheMaximumHeaderCountWith431() {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 101; i++) {
            head.append("X-").append(i).append(": v\r\n");
        }
        HandshakeException failure = failure(head.append("\r\n").toString());
        assertEquals(431, failure.status());
        assertTrue(failure.getMessage().contains("100"));
        assertEquals(431, failure(HttpRequestHead.parser(new HeadLimits(1024, 2)),
                "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n").status());
    }

    @Test
    void encodesWhatItParses() throws HandshakeException {
        HttpRequestHead head = expected();
        assertEquals(expected(), HeadParsing.parseWhole(HttpRequestHead.parser()::parse, head.encode(), 0));
        assertArrayEquals(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
                new HttpRequestHead("GET", "/", "HTTP/1.1", HttpHeaders.of("Host", "a")).encode());
    }

    @Test
    void refusesPartsThatCannotBeWritten() {
        HttpHeaders none = new HttpHeaders();
        assertThrows(IllegalArgumentException.class, () -> new HttpRequestHead("G T", "/", "HTTP/1.1", none));
        assertThrows(IllegalArgumentException.class, () -> new HttpRequestHead("GET", "/a b", "HTTP/1.1", none));
        assertThrows(IllegalArgumentException.class, () -> new HttpRequestHead("GET", "", "HTTP/1.1", none));
        assertThrows(IllegalArgumentException.class, () -> new HttpRequestHead("GET", "/", "HTTP/1.1\r\n", none));
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new HeadLimits(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new HeadLimits(10, -1));
        assertEquals(List.of(16 * 1024, 100),
                List.of(HeadLimits.DEFAULT.maxHeadBytes(), HeadLimits.DEFAULT.maxHeaderCount()));
    }
}
