package io.breakwater.handshake;

import static io.breakwater.handshake.HeadParsing.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpResponseHeadTest {

    private static final String HEAD = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "Sec-WebSocket-Protocol: chat\r\n"
            + "\r\n";

    /** An unmasked text frame "Hi" sent by the server right after its 101. */
    private static final byte[] FRAME = {(byte) 0x81, 0x02, 'H', 'i'};

    private static byte[] headAndFrame() {
        byte[] head = bytes(HEAD);
        byte[] input = new byte[head.length + FRAME.length];
        System.arraycopy(head, 0, input, 0, head.length);
        System.arraycopy(FRAME, 0, input, head.length, FRAME.length);
        return input;
    }

    private static HttpResponseHead expected() {
        return new HttpResponseHead("HTTP/1.1", 101, "Switching Protocols", HttpHeaders.of(
                "Upgrade", "websocket",
                "Connection", "Upgrade",
                "Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
                "Sec-WebSocket-Protocol", "chat"));
    }

    private static HttpResponseHead parse(String head) throws HandshakeException {
        return HeadParsing.parseWhole(HttpResponseHead.parser()::parse, bytes(head), 0);
    }

    @Test
    void parsesStatusLineAndHeadersLeavingTheFrameThatFollows() throws HandshakeException {
        HttpResponseHead head = HeadParsing.parseWhole(HttpResponseHead.parser()::parse, headAndFrame(), FRAME.length);
        assertEquals(expected(), head);
        assertEquals(101, head.status());
        assertEquals("Switching Protocols", head.reason());
    }

    @Test
    void givesTheSameHeadOneByteAtATime() throws HandshakeException {
        assertEquals(expected(),
                HeadParsing.parseByteByByte(HttpResponseHead.parser()::parse, headAndFrame(), bytes(HEAD).length));
    }

    @Test
    void givesTheSameHeadSplitAtEveryPosition() throws HandshakeException {
        byte[] input = headAndFrame();
        for (int split = 0; split <= input.length; split++) {
            assertEquals(expected(),
                    HeadParsing.parseSplit(HttpResponseHead.parser()::parse, input, split, bytes(HEAD).length),
                    "split at " + split);
        }
    }

    @Test
    void acceptsAnEmptyOrMissingReasonPhrase() throws HandshakeException {
        assertEquals("", parse("HTTP/1.1 101 \r\n\r\n").reason());
        assertEquals("", parse("HTTP/1.1 101\r\n\r\n").reason());
        assertEquals("Not \tFound \u00E9", parse("HTTP/1.1 404 Not \tFound \u00E9\r\n\r\n").reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 10\r\n\r\n",
        "HTTP/1.1 1011 x\r\n\r\n",
        "HTTP/1.1 abc Nope\r\n\r\n",
        "HTTP/1.1 099 Low\r\n\r\n",
        "HTTP/1.1  101 x\r\n\r\n",
        "HTTP/1.1\t101 x\r\n\r\n",
        "http/1.1 101 x\r\n\r\n",
        "HTTP/1 101 x\r\n\r\n",
        "\r\nHTTP/1.1 101 x\r\n\r\n",
        "SSH-2.0-OpenSSH_9.6\r\n\r\n",
        "HTTP/1.1 101 x\nUpgrade: websocket\r\n\r\n",
        "HTTP/1.1 101 x\r\nUpgrade : websocket\r\n\r\n",
        "HTTP/1.1 101 x\r\nUpgrade: websocket\r\n  folded\r\n\r\n",
        "HTTP/1.1 101 x\r\nUpgrade: web\u0000socket\r\n\r\n",
    })
    void rejectsMalformedHeadsWithoutAStatus(String head) {
        HandshakeException failure = assertThrows(HandshakeException.class,
                () -> HttpResponseHead.parser().parse(ByteBuffer.wrap(bytes(head))));
        assertEquals(HandshakeException.NO_STATUS, failure.status());
    }

    @Test
    void appliesTheLimits() {
        HttpResponseHead.Parser small = HttpResponseHead.parser(new HeadLimits(32, 100));
        assertThrows(HandshakeException.class,
                () -> small.parse(ByteBuffer.wrap(bytes("HTTP/1.1 101 x\r\nUpgrade: websocket\r\n\r\n"))));
        HttpResponseHead.Parser few = HttpResponseHead.parser(new HeadLimits(1024, 1));
        assertThrows(HandshakeException.class,
                () -> few.parse(ByteBuffer.wrap(bytes("HTTP/1.1 101 x\r\nA: 1\r\nB: 2\r\n\r\n"))));
    }

    @Test
    void encodesWhatItParses() throws HandshakeException {
        assertArrayEquals(bytes(HEAD), expected().encode());
        assertEquals(expected(), parse(new String(expected().encode(), java.nio.charset.StandardCharsets.ISO_8859_1)));
        assertArrayEquals(bytes("HTTP/1.1 426 Upgrade Required\r\n\r\n"),
                HttpResponseHead.of(426, new HttpHeaders()).encode());
        assertEquals("", HttpResponseHead.standardReason(299));
    }

    @Test
    void refusesPartsThatCannotBeWritten() {
        HttpHeaders none = new HttpHeaders();
        assertThrows(IllegalArgumentException.class, () -> new HttpResponseHead("HTTP/1.1", 99, "", none));
        assertThrows(IllegalArgumentException.class, () -> new HttpResponseHead("HTTP/1.1", 1000, "", none));
        assertThrows(IllegalArgumentException.class, () -> new HttpResponseHead("HTTP/1.1", 200, "O\r\nK", none));
        assertThrows(IllegalArgumentException.class, () -> new HttpResponseHead("HTTP/2", 200, "OK", none));
    }
}
