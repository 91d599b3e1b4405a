package io.breakwater.deflate;

import static io.breakwater.deflate.DeflateConnectionSupport.FIN;
import static io.breakwater.deflate.DeflateConnectionSupport.OP_BINARY;
import static io.breakwater.deflate.DeflateConnectionSupport.OP_CLOSE;
import static io.breakwater.deflate.DeflateConnectionSupport.OP_CONTINUATION;
import static io.breakwater.deflate.DeflateConnectionSupport.OP_PING;
import static io.breakwater.deflate.DeflateConnectionSupport.OP_PONG;
import static io.breakwater.deflate.DeflateConnectionSupport.OP_TEXT;
import static io.breakwater.deflate.DeflateConnectionSupport.RSV1;
import static io.breakwater.deflate.DeflateConnectionSupport.RSV2;
import static io.breakwater.deflate.DeflateConnectionSupport.RSV3;
import static io.breakwater.deflate.DeflateConnectionSupport.WHOLE;
import static io.breakwater.deflate.DeflateConnectionSupport.concat;
import static io.breakwater.deflate.DeflateConnectionSupport.deflateMessage;
import static io.breakwater.deflate.DeflateConnectionSupport.deflateSync;
import static io.breakwater.deflate.DeflateConnectionSupport.negotiate;
import static io.breakwater.deflate.DeflateConnectionSupport.negotiateDefaults;
import static io.breakwater.deflate.DeflateConnectionSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.deflate.DeflateConnectionSupport.Negotiated;
import io.breakwater.deflate.DeflateConnectionSupport.Peer;
import io.breakwater.protocol.CloseStatus;
import io.breakwater.protocol.Role;
import io.breakwater.protocol.Violation;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How a connection with permessage-deflate fails on bad input (RFC 7692 §6.1, §6.2 and §8.1, RFC 6455
 * §5.2 and §7.1.7), for either role: the right close code, and nothing delivered afterwards.
 */
// A decoder that loops would hang the build: fail such a test instead (each takes well under a second).
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeflateConnectionErrorsTest {

    private static Peer deflatePeer(Role role) {
        return Peer.of(role, negotiateDefaults());
    }

    private static byte[] compressed(String text) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            return deflateMessage(deflater, utf8(text));
        } finally {
            deflater.end();
        }
    }

    static Stream<Arguments> roleAndChunks() {
        return Stream.of(Role.SERVER, Role.CLIENT).flatMap(role -> Stream.of(1, WHOLE).map(chunk -> Arguments.of(role, chunk)));
    }

    // ---------------------------------------------------------------------------------- RSV bits

    @ParameterizedTest(name = "{0}, chunks of {1}")
    @MethodSource("roleAndChunks")
    void rsv1OnTheContinuationOfACompressedMessageIs1002(Role role, int chunkSize) {
        Peer peer = deflatePeer(role);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] first = deflateSync(deflater, utf8("Hello, "));
        byte[] last = deflateMessage(deflater, utf8("world"));
        deflater.end();
        peer.feedFrames(chunkSize, peer.peerFrame(RSV1 | OP_TEXT, first),
                peer.peerFrame(FIN | RSV1 | OP_CONTINUATION, last));
        peer.assertFailed(Violation.RESERVED_BITS_ON_CONTINUATION);
        assertEquals(CloseStatus.PROTOCOL_ERROR, peer.listener.close.code());
        assertTrue(peer.listener.messages.isEmpty());
    }

    @ParameterizedTest(name = "{0}, chunks of {1}")
    @MethodSource("roleAndChunks")
    void rsv1OnTheContinuationOfAnUncompressedMessageIs1002(Role role, int chunkSize) {
        Peer peer = deflatePeer(role);
        peer.feedFrames(chunkSize, peer.peerFrame(OP_BINARY, utf8("Hello, ")),
                peer.peerFrame(FIN | RSV1 | OP_CONTINUATION, compressed("world")));
        peer.assertFailed(Violation.RESERVED_BITS_ON_CONTINUATION);
        assertEquals(CloseStatus.PROTOCOL_ERROR, peer.listener.close.code());
        assertTrue(peer.listener.messages.isEmpty());
    }

    static Stream<Arguments> controlFrames() {
        return Stream.of(Role.SERVER, Role.CLIENT).flatMap(role -> Stream.of(OP_PING, OP_PONG, OP_CLOSE)
                .flatMap(opcode -> Stream.of(false, true).map(inMessage -> Arguments.of(role, opcode, inMessage))));
    }

    @ParameterizedTest(name = "{0}, opcode {1}, inside a compressed message: {2}")
    @MethodSource("controlFrames")
    void rsv1OnAControlFrameIs1002(Role role, int opcode, boolean insideMessage) {
        Peer peer = deflatePeer(role);
        byte[] body = opcode == OP_CLOSE ? new byte[] {0x03, (byte) 0xE8} : utf8("ctl");
        byte[] control = peer.peerFrame(FIN | RSV1 | opcode, body);
        if (insideMessage) {
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            byte[] first = deflateSync(deflater, utf8("Hello, "));
            deflater.end();
            peer.feedFrames(WHOLE, peer.peerFrame(RSV1 | OP_TEXT, first), control);
        } else {
            peer.feedFrames(7, control);
        }
        peer.assertFailed(Violation.RESERVED_BITS_ON_CONTROL_FRAME);
        assertTrue(peer.listener.pings.isEmpty() && peer.listener.pongs.isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Role.class)
    void rsv1WithoutDeflateNegotiatedIs1002(Role role) {
        // every offer declined (a window size RFC 7692 §7.1.2 does not allow)
        Negotiated declined = negotiate("permessage-deflate; server_max_window_bits=16",
                DeflateConfig.DEFAULTS, DeflateConfig.DEFAULTS);
        assertFalse(declined.accepted());
        Peer peer = Peer.of(role, declined);
        peer.feedFrames(WHOLE, peer.peerFrame(FIN | RSV1 | OP_TEXT, compressed("Hello")));
        peer.assertFailed(Violation.RESERVED_BITS_SET);
        assertTrue(peer.listener.messages.isEmpty());
    }

    static Stream<Arguments> otherReservedBits() {
        return Stream.of(Role.SERVER, Role.CLIENT).flatMap(role -> Stream.of(RSV2, RSV3, RSV1 | RSV2, RSV1 | RSV3,
                RSV2 | RSV3, RSV1 | RSV2 | RSV3).map(rsv -> Arguments.of(role, rsv)));
    }

    @ParameterizedTest(name = "{0}, rsv 0x{1}")
    @MethodSource("otherReservedBits")
    void rsv2OrRsv3WithDeflateNegotiatedIs1002(Role role, int rsv) {
        Peer peer = deflatePeer(role);
        byte[] payload = (rsv & RSV1) != 0 ? compressed("Hello") : utf8("Hello");
        peer.feedFrames(1, peer.peerFrame(FIN | rsv | OP_TEXT, payload));
        peer.assertFailed(Violation.RESERVED_BITS_SET);
        assertTrue(peer.listener.messages.isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Role.class)
    void rsv2OnTheContinuationOfACompressedMessageIs1002(Role role) {
        Peer peer = deflatePeer(role);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] first = deflateSync(deflater, utf8("Hello, "));
        byte[] last = deflateMessage(deflater, utf8("world"));
        deflater.end();
        peer.feedFrames(WHOLE, peer.peerFrame(RSV1 | OP_TEXT, first), peer.peerFrame(FIN | RSV2 | OP_CONTINUATION, last));
        assertTrue(peer.listener.error != null);
        assertEquals(CloseStatus.PROTOCOL_ERROR, peer.listener.close.code());
        peer.assertFailed(peer.listener.error.violation());
    }

    // ----------------------------------------------------------------------- invalid DEFLATE data

    /** Payloads no inflater accepts, each as the frames of one message, after a valid message. */
    static Stream<Arguments> garbage() {
        Deflater history = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflateMessage(history, utf8("a message the receiver never saw, a message the receiver never saw"));
        // refers 60-odd bytes back, into a message the receiver never got: "invalid distance too far back"
        byte[] tooFarBack = deflateMessage(history, utf8("a message the receiver never saw"));
        history.end();
        Deflater valid = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] goodStart = deflateSync(valid, utf8("a good start, "));
        valid.end();
        HexFormat hex = HexFormat.of();
        List<Arguments> cases = List.of(
                Arguments.of("reserved block type 3", List.of(hex.parseHex("ffffffff"))),
                Arguments.of("reserved block type 3, one octet", List.of(hex.parseHex("07"))),
                Arguments.of("stored block with LEN != ~NLEN", List.of(hex.parseHex("000500123441414141"))),
                Arguments.of("distance too far back", List.of(tooFarBack)),
                Arguments.of("valid first frame, garbage continuation", List.of(goodStart, hex.parseHex("ffff"))));
        return Stream.of(Role.SERVER, Role.CLIENT).flatMap(role -> cases.stream()
                .map(c -> Arguments.of(role, c.get()[0], c.get()[1])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("garbage")
    void undecodableCompressedDataIs1007(Role role, String name, List<byte[]> frames) {
        Peer peer = deflatePeer(role);
        // first a good message, so the inflater has context
        peer.feedFrames(WHOLE, peer.peerFrame(FIN | RSV1 | OP_TEXT, compressed("fine")));
        peer.listener.assertNoError();
        assertEquals(1, peer.listener.messages.size());
        assertArrayEquals(utf8("fine"), peer.listener.messages.get(0).data());
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            boolean lastFrame = i == frames.size() - 1;
            wire.writeBytes(peer.peerFrame((lastFrame ? FIN : 0) | (i == 0 ? RSV1 | OP_BINARY : OP_CONTINUATION),
                    frames.get(i)));
        }
        peer.feed(wire.toByteArray(), 3);
        peer.assertFailed(Violation.INVALID_COMPRESSED_DATA);
        assertEquals(CloseStatus.INVALID_PAYLOAD, peer.listener.close.code());
        assertEquals(1, peer.listener.messages.size(), "the bad message is never completed");
    }

    // ------------------------------------------------------------------ UTF-8 after inflating

    static Stream<Arguments> badUtf8() {
        HexFormat hex = HexFormat.of();
        return Stream.of(Role.SERVER, Role.CLIENT).flatMap(role -> Stream.of(
                Arguments.of(role, "overlong encoding", hex.parseHex("48656c6cc0af6f"), true),
                Arguments.of(role, "a surrogate", hex.parseHex("4865eda080"), true),
                Arguments.of(role, "a code point cut at the end of the message", hex.parseHex("48656c6ce282"), true),
                // the message is not finished: the bad byte fails it at once (RFC 6455 §8.1)
                Arguments.of(role, "a bad byte in the first fragment", hex.parseHex("48656c6cff"), false)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badUtf8")
    void invalidUtf8InACompressedTextMessageIs1007(Role role, String name, byte[] text, boolean fin) {
        Peer peer = deflatePeer(role);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] payload = fin ? deflateMessage(deflater, text) : deflateSync(deflater, text);
        deflater.end();
        peer.feedFrames(1, peer.peerFrame((fin ? FIN : 0) | RSV1 | OP_TEXT, payload));
        peer.assertFailed(Violation.INVALID_UTF8);
        assertEquals(CloseStatus.INVALID_PAYLOAD, peer.listener.close.code());
        assertTrue(peer.listener.messages.isEmpty());
    }

    /** A 4-byte code point across the inflater's 16 KiB output chunks, and across frames: not an error. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Role.class)
    void codePointsAcrossInflaterChunksAreFine(Role role) {
        Peer peer = deflatePeer(role);
        byte[] emoji = utf8("\uD83D\uDE00"); // 4 bytes
        // 'a' then two emoji, repeated: code points of 4 bytes start at every offset mod 4 as it goes on,
        // so some straddle the 16 KiB edges of the inflater's output
        ByteArrayOutputStream valid = new ByteArrayOutputStream();
        for (int n = 0; valid.size() + 4 <= 64 * 1024; n++) {
            if (n % 3 == 0) {
                valid.write('a');
            } else {
                valid.writeBytes(emoji);
            }
        }
        byte[] message = valid.toByteArray();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] first = deflateSync(deflater, Arrays.copyOfRange(message, 0, 16 * 1024 + 2));
        byte[] last = deflateMessage(deflater, Arrays.copyOfRange(message, 16 * 1024 + 2, message.length));
        deflater.end();
        peer.feedFrames(5, peer.peerFrame(RSV1 | OP_TEXT, first), peer.peerFrame(FIN | OP_CONTINUATION, last));
        peer.listener.assertNoError();
        assertEquals(1, peer.listener.messages.size());
        assertArrayEquals(message, peer.listener.messages.get(0).data());
    }

    // ------------------------------------------------------------------------------ deflate bombs

    private static final int LIMIT = 1 << 20;
    /** The most the connection may hand on past the limit: one inflater output chunk (16 KiB). */
    private static final int SLACK = 16 * 1024;

    /** A DEFLATE stream of {@code zeros} zero bytes, sync-flushed, tail removed; compressed once. */
    private static byte[] zeroBomb(long zeros) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] block = new byte[1 << 20];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (long left = zeros; left > 0; left -= block.length) {
            deflater.setInput(block, 0, (int) Math.min(block.length, left));
            while (!deflater.needsInput()) {
                out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
            }
        }
        byte[] flushed = concat(out.toByteArray(), deflateSync(deflater, new byte[0]));
        deflater.end();
        assertTrue(DeflateConnectionSupport.endsWithTail(flushed));
        return Arrays.copyOf(flushed, flushed.length - 4);
    }

    /** 4 MiB of zeros. DEFLATE cannot do better than about 1:1032, so this is the "few KiB" bomb. */
    private static final long SMALL_BOMB_SIZE = 4L << 20;
    private static final byte[] SMALL_BOMB = zeroBomb(SMALL_BOMB_SIZE);
    /** 100 MiB of zeros, about 100 KiB compressed. */
    private static final long LARGE_BOMB_SIZE = 100L << 20;
    private static final byte[] LARGE_BOMB = zeroBomb(LARGE_BOMB_SIZE);

    @Test
    void theBombsAreWhatTheySayTheyAre() throws DataFormatException {
        assertTrue(SMALL_BOMB.length <= 8 * 1024, () -> "small bomb: " + SMALL_BOMB.length);
        assertTrue(LARGE_BOMB.length <= 128 * 1024, () -> "large bomb: " + LARGE_BOMB.length);
        for (byte[] bomb : List.of(SMALL_BOMB, LARGE_BOMB)) {
            Inflater inflater = new Inflater(true);
            inflater.setInput(concat(bomb, DeflateConnectionSupport.FLUSH_TAIL));
            byte[] out = new byte[1 << 20];
            long total = 0;
            int n;
            while ((n = inflater.inflate(out)) > 0) {
                for (int i = 0; i < n; i += 4099) {
                    assertEquals(0, out[i]);
                }
                total += n;
            }
            inflater.end();
            assertEquals(bomb == SMALL_BOMB ? SMALL_BOMB_SIZE : LARGE_BOMB_SIZE, total);
        }
    }

    static Stream<Arguments> bombs() {
        return Stream.of(Role.SERVER, Role.CLIENT).flatMap(role -> Stream.of("text", "binary")
                .flatMap(type -> Stream.of("small", "large").flatMap(bomb -> Stream.of(0, 1000)
                        .map(fragment -> Arguments.of(role, type, bomb, fragment)))));
    }

    @ParameterizedTest(name = "{0}, {1}, {2} bomb, frames of {3} bytes (0: one frame)")
    @MethodSource("bombs")
    void aDeflateBombFailsWith1009BeforeMoreThanTheLimitIsDelivered(Role role, String type, String size,
                                                                     int fragment) {
        byte[] bomb = size.equals("small") ? SMALL_BOMB : LARGE_BOMB;
        int opcode = type.equals("text") ? OP_TEXT : OP_BINARY;
        Peer peer = deflatePeer(role);
        peer.connection.setMaxTextMessageSize(LIMIT);
        peer.connection.setMaxBinaryMessageSize(LIMIT);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        if (fragment == 0) {
            wire.writeBytes(peer.peerFrame(FIN | RSV1 | opcode, bomb));
        } else {
            for (int at = 0; at < bomb.length; at += fragment) {
                int end = Math.min(bomb.length, at + fragment);
                int first = (end == bomb.length ? FIN : 0) | (at == 0 ? RSV1 | opcode : OP_CONTINUATION);
                wire.writeBytes(peer.peerFrame(first, Arrays.copyOfRange(bomb, at, end)));
            }
        }
        // in the same read, after the bomb: a message and a ping that must not be reported
        wire.writeBytes(peer.peerFrame(FIN | OP_TEXT, utf8("after")));
        wire.writeBytes(peer.peerFrame(FIN | OP_PING, utf8("p")));
        peer.feed(wire.toByteArray(), fragment == 0 ? WHOLE : 4096);

        peer.assertFailed(Violation.MESSAGE_TOO_BIG);
        assertEquals(CloseStatus.MESSAGE_TOO_BIG, peer.listener.close.code());
        assertTrue(peer.listener.dataBytes < LIMIT + SLACK,
                () -> "delivered " + peer.listener.dataBytes + " bytes of a " + LIMIT + "-byte limit");
        assertTrue(peer.listener.messages.isEmpty());
        assertTrue(peer.listener.pings.isEmpty());
        for (int piece : peer.listener.pieceSizes) {
            assertTrue(piece <= SLACK, "pieces are bounded");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Role.class)
    void aCompressedMessageOfExactlyTheLimitPassesAndOneByteMoreFails(Role role) {
        Peer peer = deflatePeer(role);
        peer.connection.setMaxBinaryMessageSize(LIMIT);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] atLimit = new byte[LIMIT];
        Arrays.fill(atLimit, (byte) 'x');
        byte[] fits = deflateMessage(deflater, atLimit);
        byte[] over = deflateMessage(deflater, Arrays.copyOf(atLimit, LIMIT + 1));
        deflater.end();
        peer.feedFrames(WHOLE, peer.peerFrame(FIN | RSV1 | OP_BINARY, fits));
        peer.listener.assertNoError();
        assertEquals(1, peer.listener.messages.size());
        assertArrayEquals(atLimit, peer.listener.messages.get(0).data());
        peer.feedFrames(WHOLE, peer.peerFrame(FIN | RSV1 | OP_BINARY, over));
        peer.assertFailed(Violation.MESSAGE_TOO_BIG);
        assertTrue(peer.listener.dataBytes <= 2L * LIMIT);
        assertEquals(1, peer.listener.messages.size());
    }
}
