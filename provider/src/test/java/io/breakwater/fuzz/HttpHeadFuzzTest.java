package io.breakwater.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.breakwater.deflate.DeflateConfig;
import io.breakwater.deflate.DeflateNegotiation;
import io.breakwater.handshake.ExtensionHeader;
import io.breakwater.handshake.ExtensionSpec;
import io.breakwater.handshake.HandshakeException;
import io.breakwater.handshake.HeadLimits;
import io.breakwater.handshake.HttpHeaders;
import io.breakwater.handshake.HttpRequestHead;
import io.breakwater.handshake.HttpResponseHead;
import io.breakwater.handshake.ServerHandshake;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The incremental HTTP/1.1 head parsers, fed whatever a peer could send before the upgrade, in one
 * buffer and in the pieces a {@link Chunking} chooses: both feeds must end alike (the same head and
 * the same number of bytes consumed, the same error, or still waiting for more), never read past the
 * head's final CRLF nor past the size limit, and a parsed head must read back the same from its own
 * encoding. A parsed request then goes through {@link ServerHandshake#validate}, and an accepted one
 * through the server's answer: permessage-deflate negotiation ({@link ServerNegotiationCheck}) and a
 * 101 response that parses and carries the right {@code Sec-WebSocket-Accept}.
 *
 * <p>Input: the head size limit ({@code 16 * b} bytes, or the default for 0), the header count limit
 * ({@code b - 1}, or the default for 0), a {@link Chunking}, then the bytes.
 */
class HttpHeadFuzzTest {

    private static final HeadLimits GENEROUS = new HeadLimits(1 << 20, 10_000);
    private static final Set<Integer> REQUEST_STATUSES = Set.of(400, 414, 431);
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** One of the two parsers, behind one face. */
    @FunctionalInterface
    private interface HeadParser<T> {
        Optional<T> parse(ByteBuffer input) throws HandshakeException;
    }

    /** How a feed ended: a head and the bytes it took, an error, or neither (more input needed). */
    private record Ending<T>(T head, int consumed, Integer errorStatus, String errorMessage) {
    }

    @FuzzTest
    void requestHead(byte[] data) {
        FuzzInput input = new FuzzInput(data);
        HeadLimits limits = readLimits(input);
        Chunking chunking = Chunking.read(input);
        byte[] bytes = input.rest();

        Ending<HttpRequestHead> ending = parseBothWays(() -> HttpRequestHead.parser(limits)::parse, bytes, chunking,
                limits);
        if (ending.errorStatus() != null) {
            assertTrue(REQUEST_STATUSES.contains(ending.errorStatus()), "a request is refused with " + ending);
        }
        HttpRequestHead head = ending.head();
        if (head == null) {
            return;
        }
        ByteBuffer encoded = ByteBuffer.wrap(head.encode());
        assertEquals(Optional.of(head), parseOrFail(HttpRequestHead.parser(GENEROUS)::parse, encoded), "read back");
        assertFalse(encoded.hasRemaining(), "the encoding is all head");

        ServerHandshake.Outcome outcome = ServerHandshake.validate(head);
        if (outcome instanceof ServerHandshake.Rejected rejected) {
            assertTrue(rejected.status() == 400 || rejected.status() == 426, "rejected with " + rejected.status());
            return;
        }
        answer((ServerHandshake.Accepted) outcome);
    }

    @FuzzTest
    void responseHead(byte[] data) {
        FuzzInput input = new FuzzInput(data);
        HeadLimits limits = readLimits(input);
        Chunking chunking = Chunking.read(input);
        byte[] bytes = input.rest();

        Ending<HttpResponseHead> ending = parseBothWays(() -> HttpResponseHead.parser(limits)::parse, bytes, chunking,
                limits);
        if (ending.errorStatus() != null) {
            assertEquals(HandshakeException.NO_STATUS, ending.errorStatus(), "a client has no status to answer with");
        }
        HttpResponseHead head = ending.head();
        if (head != null) {
            ByteBuffer encoded = ByteBuffer.wrap(head.encode());
            assertEquals(Optional.of(head), parseOrFail(HttpResponseHead.parser(GENEROUS)::parse, encoded), "read back");
            assertFalse(encoded.hasRemaining(), "the encoding is all head");
        }
    }

    private static HeadLimits readLimits(FuzzInput input) {
        int bytes = input.nextByte();
        int count = input.nextByte();
        return new HeadLimits(bytes == 0 ? HeadLimits.DEFAULT.maxHeadBytes() : 16 * bytes,
                count == 0 ? HeadLimits.DEFAULT.maxHeaderCount() : count - 1);
    }

    /** A fresh parser per call, so that each feed starts from the beginning. */
    @FunctionalInterface
    private interface ParserFactory<T> {
        HeadParser<T> newParser();
    }

    private static <T> Ending<T> parseBothWays(ParserFactory<T> parsers, byte[] bytes, Chunking chunking,
                                               HeadLimits limits) {
        Ending<T> whole = feed(parsers.newParser(), List.of(bytes), Chunking.read(new FuzzInput(new byte[0])));
        Ending<T> split = feed(parsers.newParser(), chunking.split(bytes), chunking);
        assertEquals(whole, split, "the whole and the split input end alike");
        if (whole.head() != null) {
            assertTrue(whole.consumed() <= limits.maxHeadBytes(), "a head of " + whole.consumed() + " bytes");
            byte[] end = Arrays.copyOfRange(bytes, whole.consumed() - END_OF_HEAD.length, whole.consumed());
            assertArrayEquals(END_OF_HEAD, end, "the head ends with its empty line, and nothing more is read");
        }
        return whole;
    }

    private static <T> Ending<T> feed(HeadParser<T> parser, List<byte[]> pieces, Chunking chunking) {
        int fed = 0;
        for (byte[] piece : pieces) {
            ByteBuffer buffer = chunking.wrap(piece);
            int start = buffer.position();
            Optional<T> head;
            try {
                head = parser.parse(buffer);
            } catch (HandshakeException e) {
                ByteBuffer more = ByteBuffer.wrap(new byte[] {'\r', '\n'});
                assertThrows(IllegalStateException.class, () -> parser.parse(more), "a rejected head stays rejected");
                return new Ending<>(null, -1, e.status(), e.getMessage());
            }
            if (head.isPresent()) {
                return new Ending<>(head.get(), fed + buffer.position() - start, null, null);
            }
            assertFalse(buffer.hasRemaining(), "an unfinished head takes all its input");
            fed += piece.length;
        }
        return new Ending<>(null, -1, null, null);
    }

    private static <T> Optional<T> parseOrFail(HeadParser<T> parser, ByteBuffer input) {
        try {
            return parser.parse(input);
        } catch (HandshakeException e) {
            throw new AssertionError("a head we wrote does not parse: " + e.getMessage(), e);
        }
    }

    /** As a server that offers permessage-deflate would answer an accepted request. */
    private static void answer(ServerHandshake.Accepted request) {
        assertEquals(expectedAccept(request.key()), request.accept(), "Sec-WebSocket-Accept for " + request.key());
        // As ServerUpgrade does: the answer goes under the client's spelling of the name, which
        // acceptResponse compares exactly with the offers.
        List<ExtensionSpec> chosen = ServerNegotiationCheck.check(request.extensions(), DeflateConfig.DEFAULTS)
                .map(answer -> List.of(new ExtensionSpec(firstDeflateOffer(request).name(), answer.parameters())))
                .orElse(List.of());
        String subprotocol = request.subprotocols().isEmpty() ? null : request.subprotocols().get(0);
        HttpResponseHead response = ServerHandshake.acceptResponse(request, subprotocol, chosen, new HttpHeaders());
        ByteBuffer wire = ByteBuffer.wrap(response.encode());
        HttpResponseHead read = parseOrFail(HttpResponseHead.parser()::parse, wire).orElseThrow();
        assertEquals(101, read.status());
        assertEquals(request.accept(), read.headers().first("Sec-WebSocket-Accept"));
        assertEquals(chosen, ExtensionHeader.parse(read.headers().all("Sec-WebSocket-Extensions")),
                "extensions in the 101");
    }

    private static ExtensionSpec firstDeflateOffer(ServerHandshake.Accepted request) {
        return request.extensions().stream()
                .filter(offer -> offer.name().equalsIgnoreCase(DeflateNegotiation.EXTENSION_NAME))
                .findFirst().orElseThrow();
    }

    /** RFC 6455 §4.2.2 item 5.4, computed here independently of the handshake code. */
    private static String expectedAccept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
