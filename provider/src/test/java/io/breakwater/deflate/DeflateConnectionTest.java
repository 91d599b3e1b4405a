package io.breakwater.deflate;

import static io.breakwater.deflate.DeflateConnectionSupport.FIN;
import static io.breakwater.deflate.DeflateConnectionSupport.OP_BINARY;
import static io.breakwater.deflate.DeflateConnectionSupport.OP_CONTINUATION;
import static io.breakwater.deflate.DeflateConnectionSupport.OP_PING;
import static io.breakwater.deflate.DeflateConnectionSupport.OP_PONG;
import static io.breakwater.deflate.DeflateConnectionSupport.OP_TEXT;
import static io.breakwater.deflate.DeflateConnectionSupport.RSV1;
import static io.breakwater.deflate.DeflateConnectionSupport.WHOLE;
import static io.breakwater.deflate.DeflateConnectionSupport.json;
import static io.breakwater.deflate.DeflateConnectionSupport.link;
import static io.breakwater.deflate.DeflateConnectionSupport.negotiate;
import static io.breakwater.deflate.DeflateConnectionSupport.randomBytes;
import static io.breakwater.deflate.DeflateConnectionSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.deflate.DeflateConnectionSupport.Compressibility;
import io.breakwater.deflate.DeflateConnectionSupport.Direction;
import io.breakwater.deflate.DeflateConnectionSupport.Frame;
import io.breakwater.deflate.DeflateConnectionSupport.Link;
import io.breakwater.deflate.DeflateConnectionSupport.Negotiated;
import io.breakwater.deflate.DeflateConnectionSupport.Peer;
import io.breakwater.handshake.ExtensionHeader;
import io.breakwater.handshake.ExtensionSpec;
import io.breakwater.protocol.Connection;
import io.breakwater.protocol.Role;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * permessage-deflate through two real {@link Connection}s, a client and a server wired to each other
 * in memory, after the real negotiation; organised like Autobahn TestSuite groups 12 (payload kinds
 * and sizes) and 13 (parameter combinations).
 */
// A decoder that loops would hang the build: fail such a test instead (each takes well under a second).
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeflateConnectionTest {

    /** The message sizes of Autobahn 12.x/13.x. */
    static final int[] SIZES = {16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072};

    static final int[] CHUNK_SIZES = {1, 7, 4096, WHOLE};

    // ---------------------------------------------------------------------------------- group 13

    /**
     * One negotiation: the client's offer header, both ends' configs, and what must come of it.
     *
     * @param response the parameters the response must carry (in any order), or null when the server
     *        must decline every offer (then nothing is compressed)
     * @param clientResets whether the client must compress every message on its own
     * @param serverResets whether the server must compress every message on its own
     */
    /** @param serverWindowBits the server_max_window_bits agreed; under 15 the server sends literals only */
    record Case(String name, String offer, DeflateConfig serverConfig, DeflateConfig clientConfig,
                Set<String> response, boolean clientResets, boolean serverResets, int serverWindowBits) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final DeflateConfig DEFAULTS = DeflateConfig.DEFAULTS;
    private static final String SNCT = "server_no_context_takeover";
    private static final String CNCT = "client_no_context_takeover";

    private static Case accepted(String name, String offer, boolean clientResets, boolean serverResets,
                                 String... response) {
        int serverWindowBits = Stream.of(response).filter(p -> p.startsWith("server_max_window_bits="))
                .mapToInt(p -> Integer.parseInt(p.substring(p.indexOf('=') + 1))).findFirst().orElse(15);
        return new Case(name, offer, DEFAULTS, DEFAULTS, Set.of(response), clientResets, serverResets,
                serverWindowBits);
    }

    private static Case declined(String name, String offer) {
        return new Case(name, offer, DEFAULTS, DEFAULTS, null, false, false, 15);
    }

    static Stream<Case> group13() {
        List<Case> cases = new ArrayList<>();
        cases.add(accepted("13.1 default offer", DeflateNegotiation.clientOffer(DEFAULTS).toString(), false, false));
        cases.add(accepted("client_no_context_takeover",
                DeflateNegotiation.clientOffer(DEFAULTS.withClientNoContextTakeover(true)).toString(), true, false, CNCT));
        cases.add(accepted("server_no_context_takeover",
                DeflateNegotiation.clientOffer(DEFAULTS.withServerNoContextTakeover(true)).toString(), false, true, SNCT));
        cases.add(accepted("both no_context_takeover", DeflateNegotiation.clientOffer(
                DEFAULTS.withServerNoContextTakeover(true).withClientNoContextTakeover(true)).toString(),
                true, true, SNCT, CNCT));
        cases.add(accepted("client_max_window_bits without a value", "permessage-deflate; client_max_window_bits",
                false, false));
        for (int bits = 8; bits <= 15; bits++) {
            cases.add(accepted("client_max_window_bits=" + bits, "permessage-deflate; client_max_window_bits=" + bits,
                    false, false));
        }
        cases.add(accepted("client_max_window_bits=9 with client_no_context_takeover",
                "permessage-deflate; client_no_context_takeover; client_max_window_bits=9", true, false, CNCT));
        cases.add(accepted("server_max_window_bits=15", "permessage-deflate; server_max_window_bits=15",
                false, false, "server_max_window_bits=15"));
        cases.add(accepted("server_max_window_bits=15 with server_no_context_takeover",
                "permessage-deflate; server_max_window_bits=15; server_no_context_takeover",
                false, true, "server_max_window_bits=15", SNCT));
        for (int bits = 8; bits <= 14; bits++) {
            // §7.1.2.1: the server compresses within the window; Breakwater does so without back-references.
            cases.add(accepted("server_max_window_bits=" + bits, "permessage-deflate; server_max_window_bits=" + bits,
                    false, false, "server_max_window_bits=" + bits));
        }
        cases.add(accepted("server_max_window_bits=9 with both no_context_takeover",
                "permessage-deflate; server_max_window_bits=9; server_no_context_takeover; client_no_context_takeover",
                true, true, "server_max_window_bits=9", SNCT, CNCT));
        cases.add(accepted("13.7-like: three offers, the first taken",
                "permessage-deflate; client_no_context_takeover; client_max_window_bits=8, "
                        + "permessage-deflate; client_no_context_takeover, permessage-deflate",
                true, false, CNCT));
        cases.add(accepted("unknown extension skipped, small server window taken",
                "x-webkit-deflate-frame, permessage-deflate; server_max_window_bits=12; client_no_context_takeover, "
                        + "permessage-deflate; server_no_context_takeover; client_max_window_bits",
                true, false, "server_max_window_bits=12", CNCT));
        cases.add(accepted("malformed offer declined, next offer taken",
                "permessage-deflate; client_max_window_bits=16, permessage-deflate; server_no_context_takeover; "
                        + "client_no_context_takeover", true, true, SNCT, CNCT));
        cases.add(accepted("quoted window values", "permessage-deflate; client_max_window_bits=\"10\"; "
                + "server_max_window_bits=\"15\"", false, false, "server_max_window_bits=15"));
        cases.add(accepted("names in another case, odd white space",
                "PerMessage-Deflate ;Server_No_Context_Takeover;  CLIENT_MAX_WINDOW_BITS=11", false, true, SNCT));
        cases.add(declined("every offer declined",
                "permessage-deflate; server_max_window_bits=7, permessage-deflate; bogus"));
        cases.add(new Case("server adds both no_context_takeover unasked", "permessage-deflate",
                DEFAULTS.withServerNoContextTakeover(true).withClientNoContextTakeover(true), DEFAULTS,
                Set.of(SNCT, CNCT), true, true, 15));
        // RFC 7692 §7.1.1.2: a client may reset its own compressor without being asked.
        cases.add(new Case("client resets by its own choice", "permessage-deflate", DEFAULTS,
                DEFAULTS.withClientNoContextTakeover(true), Set.of(), true, false, 15));
        cases.add(new Case("best speed level, both no_context_takeover",
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                DEFAULTS.withCompressionLevel(1), DEFAULTS.withCompressionLevel(1), Set.of(SNCT, CNCT), true, true, 15));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("group13")
    void group13(Case c) {
        Negotiated negotiated = negotiate(c.offer(), c.serverConfig(), c.clientConfig());
        if (c.response() == null) {
            assertFalse(negotiated.accepted(), () -> "expected a decline, got " + negotiated.response());
        } else {
            assertTrue(negotiated.accepted(), "the server declined");
            ExtensionSpec response = ExtensionHeader.parse(negotiated.response()).get(0);
            assertEquals(DeflateNegotiation.EXTENSION_NAME, response.name());
            Set<String> parameters = response.parameters().stream().map(ExtensionSpec.Parameter::toString)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(c.response()), parameters, () -> "response " + negotiated.response());
            assertEquals(c.serverResets(), negotiated.server().serverNoContextTakeover());
            assertEquals(c.serverResets(), negotiated.client().serverNoContextTakeover());
            assertEquals(c.clientResets(), negotiated.client().clientNoContextTakeover());
            assertEquals(c.serverWindowBits(), negotiated.server().serverMaxWindowBits());
            assertEquals(c.serverWindowBits(), negotiated.client().serverMaxWindowBits());
            assertEquals(15, negotiated.client().clientMaxWindowBits());
        }
        try (Link link = link(negotiated)) {
            Direction up = new Direction(link, true, negotiated.accepted(), c.clientResets());
            Direction down = new Direction(link, false, negotiated.accepted(), c.serverResets());
            exchange(up, false);
            exchange(down, c.serverWindowBits() < 15);
            // and interleaved both ways: each direction's context is its own
            for (int i = 0; i < 4; i++) {
                up.sendWhole(true, json(300 + i, 40 + i), 7);
                down.sendWhole(false, json(300 + i, 40 + i), 7);
            }
            up.end();
            down.end();
        }
    }

    /**
     * The Autobahn 13.x exchange for one direction, plus wire checks of RSV1 and context takeover.
     *
     * @param literalsOnly the sender's window is under 15 bits, so it compresses without back-references:
     *                     less, and never by referring to an earlier message
     */
    private static void exchange(Direction d, boolean literalsOnly) {
        byte[] a = json(2000, 11);
        byte[] p1 = d.sendWholePayload(true, a);
        byte[] p2 = d.sendWholePayload(true, a);
        if (d.compressed && literalsOnly) {
            assertTrue(p1.length < a.length * 3 / 4, () -> "JSON compresses by Huffman codes alone: " + p1.length);
            assertTrue(p2.length > p1.length * 9 / 10, () -> "no reference to the first: " + p1.length + " -> " + p2.length);
        } else if (d.compressed) {
            assertTrue(p1.length < a.length / 2, "JSON compresses");
            if (d.senderResets) {
                // no context takeover: identical messages, identical payloads
                assertArrayEquals(p1, p2, "no_context_takeover: the second identical message compresses the same");
            } else {
                assertTrue(p2.length < p1.length / 2,
                        () -> "context takeover: the repeat refers to the first (" + p1.length + " -> " + p2.length + ")");
            }
        }

        // outgoing fragmentation: RSV1 on the first frame only
        byte[] b = randomBytes(1000, 12);
        d.sender.connection.setOutgoingFragmentSize(100);
        List<Frame> fragmented = d.sendWhole(false, b, 4096);
        d.sender.connection.setOutgoingFragmentSize(0);
        assertTrue(fragmented.size() >= 10, () -> "frames: " + fragmented);

        // a message in parts, one of them empty, with a ping between two of them
        byte[] c = json(3000, 13);
        List<Frame> parts = d.send(true, c, 7, conn -> {
            conn.sendText(ByteBuffer.wrap(c, 0, 1000), false);
            conn.sendPing(ByteBuffer.wrap(utf8("ping")));
            conn.sendText(ByteBuffer.wrap(c, 1000, 0), false);
            conn.sendText(ByteBuffer.wrap(c, 1000, 2000), true);
        });
        assertEquals(List.of(OP_TEXT, OP_PING, OP_CONTINUATION, OP_CONTINUATION),
                parts.stream().map(Frame::opcode).toList());
        assertArrayEquals(utf8("ping"), d.receiver.listener.pings.get(d.receiver.listener.pings.size() - 1));
        List<Frame> pong = d.link.transfer(d.receiver, WHOLE);
        assertEquals(1, pong.size());
        assertEquals(OP_PONG, pong.get(0).opcode());
        assertArrayEquals(utf8("ping"), d.sender.listener.pongs.get(d.sender.listener.pongs.size() - 1));

        // the first message again, after others
        byte[] p3 = d.sendWholePayload(true, a);
        if (d.compressed && !literalsOnly) {
            if (d.senderResets) {
                assertArrayEquals(p1, p3, "no_context_takeover: history does not change the payload");
            } else {
                assertTrue(p3.length < p1.length / 2, "context takeover: the first message is still in the window");
            }
        }

        // the group 12 sizes, mixed payloads, text and binary
        for (int size : SIZES) {
            d.sendWhole(true, Compressibility.MIXED.payload(true, size, size), 4096);
            d.sendWhole(false, Compressibility.MIXED.payload(false, size, size + 1), WHOLE);
        }
        d.sender.listener.assertNoError();
        d.receiver.listener.assertNoError();
    }

    // ---------------------------------------------------------------------------------- group 12

    enum Mode {
        /** One sendText/sendBinary call, one frame. */
        WHOLE_MESSAGE,
        /** One call, split into frames by {@link Connection#setOutgoingFragmentSize}. */
        FRAGMENTED,
        /** Several calls, one of them an empty part. */
        PARTS
    }

    static final int FRAGMENT_SIZE = 100;

    static Stream<Arguments> group12() {
        return Stream.of(true, false).flatMap(text -> Arrays.stream(Compressibility.values())
                .flatMap(kind -> Arrays.stream(Mode.values())
                        .flatMap(mode -> IntStream.of(CHUNK_SIZES).mapToObj(chunk -> Arguments.of(
                                text ? "text" : "binary", kind, mode, chunk)))));
    }

    @ParameterizedTest(name = "{0}, {1}, {2}, received in chunks of {3}")
    @MethodSource("group12")
    void group12(String type, Compressibility kind, Mode mode, int chunkSize) {
        boolean text = type.equals("text");
        try (Link link = link(DeflateConnectionSupport.negotiateDefaults())) {
            for (boolean fromClient : new boolean[] {true, false}) {
                Direction d = new Direction(link, fromClient, true, false);
                for (int size : SIZES) {
                    byte[] message = kind.payload(text, size, size * 31L + (fromClient ? 1 : 2));
                    assertEquals(size, message.length);
                    if (text) {
                        DeflateConnectionSupport.assertValidUtf8(message);
                    }
                    send(d, text, message, mode, chunkSize);
                }
                d.end();
            }
            link.client.listener.assertNoError();
            link.server.listener.assertNoError();
        }
    }

    private static void send(Direction d, boolean text, byte[] message, Mode mode, int chunkSize) {
        switch (mode) {
            case WHOLE_MESSAGE -> {
                List<Frame> frames = d.sendWhole(text, message, chunkSize);
                assertEquals(1, frames.size());
            }
            case FRAGMENTED -> {
                d.sender.connection.setOutgoingFragmentSize(FRAGMENT_SIZE);
                List<Frame> frames = d.sendWhole(text, message, chunkSize);
                d.sender.connection.setOutgoingFragmentSize(0);
                int total = frames.stream().mapToInt(f -> f.payload().length).sum();
                assertEquals((total + FRAGMENT_SIZE - 1) / FRAGMENT_SIZE, frames.size(), "frames of the message");
                for (int i = 0; i < frames.size() - 1; i++) {
                    assertEquals(FRAGMENT_SIZE, frames.get(i).payload().length);
                }
            }
            case PARTS -> {
                int n = message.length;
                int[] cuts = {0, n / 3, n / 3, n / 2, n}; // the second part is empty
                List<Frame> frames = d.send(text, message, chunkSize, c -> {
                    for (int i = 0; i + 1 < cuts.length; i++) {
                        ByteBuffer part = ByteBuffer.wrap(message, cuts[i], cuts[i + 1] - cuts[i]);
                        boolean last = i + 2 == cuts.length;
                        if (text) {
                            c.sendText(part, last);
                        } else {
                            c.sendBinary(part, last);
                        }
                    }
                });
                assertEquals(cuts.length - 1, frames.size(), "one frame per part");
            }
            default -> throw new AssertionError(mode);
        }
    }

    // --------------------------------------------------------------------------- empty messages

    @ParameterizedTest(name = "no_context_takeover: {0}")
    @ValueSource(booleans = {false, true})
    void emptyMessagesRoundTrip(boolean noContextTakeover) {
        Negotiated negotiated = negotiate(noContextTakeover
                ? "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
                : "permessage-deflate", DEFAULTS, DEFAULTS);
        try (Link link = link(negotiated)) {
            for (boolean fromClient : new boolean[] {true, false}) {
                Direction d = new Direction(link, fromClient, true, noContextTakeover);
                for (boolean text : new boolean[] {true, false}) {
                    byte[] empty = new byte[0];
                    byte[] abc = utf8("abc");
                    List<byte[]> emptyPayloads = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        emptyPayloads.add(d.sendWholePayload(text, empty));
                    }
                    d.sendWhole(text, abc, 1);
                    emptyPayloads.add(d.sendWholePayload(text, empty));
                    sendParts(d, text, 1, abc, empty);            // an empty last part
                    sendParts(d, text, 1, empty, empty);          // empty parts only
                    sendParts(d, text, WHOLE, empty, empty, empty);
                    sendParts(d, text, 7, empty, abc);            // an empty first part
                    emptyPayloads.add(d.sendWholePayload(text, empty));
                    sendParts(d, text, 1, abc, empty, abc, empty);
                    emptyPayloads.add(d.sendWholePayload(text, empty));
                    for (byte[] payload : emptyPayloads) {
                        assertTrue(payload.length > 0, "a compressed empty message still carries a DEFLATE block");
                    }
                    if (noContextTakeover) {
                        for (byte[] payload : emptyPayloads) {
                            assertArrayEquals(emptyPayloads.get(0), payload, "every empty message compresses the same");
                        }
                    }
                }
                d.end();
            }
            link.client.listener.assertNoError();
            link.server.listener.assertNoError();
            assertNull(link.client.listener.close);
        }
    }

    private static void sendParts(Direction d, boolean text, int chunkSize, byte[]... parts) {
        byte[] whole = DeflateConnectionSupport.concat(parts);
        List<Frame> frames = d.send(text, whole, chunkSize, c -> {
            for (int i = 0; i < parts.length; i++) {
                boolean last = i == parts.length - 1;
                if (text) {
                    c.sendText(ByteBuffer.wrap(parts[i]), last);
                } else {
                    c.sendBinary(ByteBuffer.wrap(parts[i]), last);
                }
            }
        });
        assertEquals(parts.length, frames.size(), "one frame per part");
    }

    // ------------------------------------------------------------------ what other peers may send

    /**
     * The payloads of RFC 7692 §7.2.3, as frames from a peer, in one sequence with context takeover:
     * one block, a shared window, a stored block, two blocks split over two frames, an uncompressed
     * message that does not enter the window, BFINAL with and without a trailing empty block, an
     * empty message, an empty payload.
     */
    static Stream<Arguments> receiverAndChunks() {
        return Stream.of(Role.SERVER, Role.CLIENT).flatMap(role -> IntStream.of(1, 7, WHOLE)
                .mapToObj(chunk -> Arguments.of(role, chunk)));
    }

    @ParameterizedTest(name = "received by the {0}, chunks of {1}")
    @MethodSource("receiverAndChunks")
    void rfc7692ExamplePayloadsThroughTheConnection(Role role, int chunkSize) {
        HexFormat hex = HexFormat.of();
        Peer peer = Peer.of(role, DeflateConnectionSupport.negotiateDefaults());
        byte[] hello = utf8("Hello");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<byte[]> expected = new ArrayList<>();
        // §7.2.3.1 one block
        wire.writeBytes(peer.peerFrame(FIN | RSV1 | OP_TEXT, hex.parseHex("f248cdc9c90700")));
        expected.add(hello);
        // an uncompressed message: compression is per message (§6.1) and it does not enter the window
        wire.writeBytes(peer.peerFrame(FIN | OP_TEXT, utf8("other")));
        expected.add(utf8("other"));
        // §7.2.3.2 the second "Hello" refers 5 bytes back, into the first compressed message
        wire.writeBytes(peer.peerFrame(FIN | RSV1 | OP_TEXT, hex.parseHex("f200110000")));
        expected.add(hello);
        // §7.2.3.3 a stored block
        wire.writeBytes(peer.peerFrame(FIN | RSV1 | OP_BINARY, hex.parseHex("000500faff48656c6c6f00")));
        expected.add(hello);
        // §7.2.3.5 two blocks, here in two frames (RSV1 on the first only)
        wire.writeBytes(peer.peerFrame(RSV1 | OP_TEXT, hex.parseHex("f24805000000ffff")));
        wire.writeBytes(peer.peerFrame(FIN | OP_CONTINUATION, hex.parseHex("cac9c90700")));
        expected.add(hello);
        // §7.2.3.4 BFINAL set, followed by an empty stored block's first octet
        wire.writeBytes(peer.peerFrame(FIN | RSV1 | OP_TEXT, hex.parseHex("f348cdc9c9070000")));
        expected.add(hello);
        // BFINAL set, nothing after it
        wire.writeBytes(peer.peerFrame(FIN | RSV1 | OP_TEXT, hex.parseHex("f348cdc9c90700")));
        expected.add(hello);
        // §7.2.3.6 an empty message: an empty stored block without its LEN/NLEN
        wire.writeBytes(peer.peerFrame(FIN | RSV1 | OP_TEXT, hex.parseHex("00")));
        expected.add(new byte[0]);
        wire.writeBytes(peer.peerFrame(FIN | RSV1 | OP_TEXT, hex.parseHex("f248cdc9c90700")));
        expected.add(hello);
        // an empty payload (some peers send one for an empty message): an empty message, the stream untouched
        wire.writeBytes(peer.peerFrame(FIN | RSV1 | OP_BINARY, new byte[0]));
        expected.add(new byte[0]);
        wire.writeBytes(peer.peerFrame(FIN | RSV1 | OP_TEXT, hex.parseHex("f200110000")));
        expected.add(hello);
        peer.feed(wire.toByteArray(), chunkSize);
        peer.listener.assertNoError();
        assertEquals(expected.size(), peer.listener.messages.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), peer.listener.messages.get(i).data(), "message " + i);
        }
        assertEquals(0, peer.takeOutput().length, "nothing to answer");
        peer.connection.transportClosed();
    }

    /**
     * A peer that ends every message with a BFINAL block (Deflater.finish, a new stream per message,
     * as RFC 7692 §7.2.3.4 allows where a sync flush is not available), large messages included.
     */
    @ParameterizedTest(name = "received by the {0}, chunks of {1}")
    @MethodSource("receiverAndChunks")
    void aPeerThatFinishesEveryStream(Role role, int chunkSize) {
        Peer peer = Peer.of(role, DeflateConnectionSupport.negotiateDefaults());
        List<byte[]> messages = new ArrayList<>();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int size : new int[] {0, 16, 40000, 0, 131072, 5}) {
            byte[] message = Compressibility.MIXED.payload(false, size, size);
            messages.add(message);
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            deflater.setInput(message);
            deflater.finish();
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                payload.write(buffer, 0, deflater.deflate(buffer));
            }
            deflater.end();
            byte[] bytes = payload.toByteArray();
            // in frames of 1000 bytes
            for (int at = 0; at == 0 || at < bytes.length; at += 1000) {
                int end = Math.min(bytes.length, at + 1000);
                int first = (end == bytes.length ? FIN : 0) | (at == 0 ? RSV1 | OP_BINARY : OP_CONTINUATION);
                wire.writeBytes(peer.peerFrame(first, Arrays.copyOfRange(bytes, at, end)));
            }
        }
        peer.feed(wire.toByteArray(), chunkSize);
        peer.listener.assertNoError();
        assertEquals(messages.size(), peer.listener.messages.size());
        for (int i = 0; i < messages.size(); i++) {
            assertArrayEquals(messages.get(i), peer.listener.messages.get(i).data(), "message " + i);
        }
        peer.connection.transportClosed();
    }

    /** Messages sent whole below the threshold go uncompressed (RSV1 clear); the rest share one window. */
    @ParameterizedTest(name = "no_context_takeover: {0}")
    @ValueSource(booleans = {false, true})
    void compressionThresholdMixesCompressedAndUncompressedMessages(boolean noContextTakeover) {
        DeflateConfig config = DEFAULTS.withCompressionThreshold(100)
                .withServerNoContextTakeover(noContextTakeover).withClientNoContextTakeover(noContextTakeover);
        Negotiated negotiated = negotiate(DeflateNegotiation.clientOffer(config).toString(), config, config);
        try (Link link = link(negotiated)) {
            for (boolean fromClient : new boolean[] {true, false}) {
                Direction d = new Direction(link, fromClient, true, noContextTakeover);
                byte[] a = json(1000, 3);
                byte[] p1 = null;
                for (int size : new int[] {16, 99, 100, 1000, 64, 1000, 256, 0, 4096}) {
                    byte[] message = size == 1000 ? a : Compressibility.MIXED.payload(true, size, size);
                    d.compressed = size >= 100;
                    byte[] payload = d.sendWholePayload(true, message);
                    if (size == 1000) {
                        if (p1 == null) {
                            p1 = payload;
                        } else if (noContextTakeover) {
                            assertArrayEquals(p1, payload);
                        } else {
                            assertTrue(payload.length < p1.length / 2, "an uncompressed message between does not break the window");
                        }
                    }
                }
                d.compressed = true; // a message in parts is always compressed
                byte[] small = utf8("tiny");
                sendParts(d, true, 1, small, new byte[0]);
                d.end();
            }
        }
    }

    /**
     * RFC 6455 §7.1.2: after sending its close frame an end still reads the peer's messages until the
     * peer's close arrives; compressed ones still decode, and close frames never carry RSV1.
     */
    @ParameterizedTest(name = "no_context_takeover: {0}")
    @ValueSource(booleans = {false, true})
    void compressedMessagesStillArriveWhileClosing(boolean noContextTakeover) {
        Negotiated negotiated = negotiate(noContextTakeover
                ? "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
                : "permessage-deflate", DEFAULTS, DEFAULTS);
        try (Link link = link(negotiated)) {
            Direction up = new Direction(link, true, true, noContextTakeover);
            byte[] a = json(5000, 8);
            up.sendWhole(true, a, 7);
            link.server.connection.close(io.breakwater.protocol.CloseStatus.NORMAL);
            assertEquals(Connection.State.CLOSING, link.server.connection.state());
            // the client, not yet aware, sends a message in parts and one whole
            up.send(true, a, 3, c -> {
                c.sendText(ByteBuffer.wrap(a, 0, 2500), false);
                c.sendText(ByteBuffer.wrap(a, 2500, 2500), true);
            });
            up.sendWhole(false, randomBytes(3000, 9), WHOLE);
            List<Frame> close = link.transfer(link.server, WHOLE);
            assertEquals(1, close.size());
            assertEquals(0x8, close.get(0).opcode());
            assertEquals(0, close.get(0).rsv());
            List<Frame> echo = link.transfer(link.client, WHOLE);
            assertEquals(1, echo.size());
            assertEquals(0x8, echo.get(0).opcode());
            assertEquals(0, echo.get(0).rsv());
            assertEquals(Connection.State.CLOSED, link.server.connection.state());
            assertEquals(Connection.State.CLOSED, link.client.connection.state());
            assertEquals(1000, link.server.listener.close.code());
            assertEquals(1000, link.client.listener.close.code());
            assertNull(link.server.listener.error);
            assertNull(link.client.listener.error);
            assertEquals(3, link.server.listener.messages.size());
            up.end();
        }
    }
}
