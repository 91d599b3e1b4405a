package io.breakwater.fuzz;

import io.breakwater.protocol.CloseStatus;
import io.breakwater.protocol.Connection;
import io.breakwater.protocol.ConnectionListener;
import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.Deflater;

/**
 * Writes the hand-made seed inputs of the fuzz tests into the inputs directories that jazzer-junit
 * replays in regression mode (every {@code mvn test}) and starts from when fuzzing:
 * {@code src/test/resources/io/breakwater/fuzz/<TestClass>Inputs/<method>/}. Frames are written by a
 * real peer {@link Connection} wherever the seed is a valid stream, so that the fuzzer starts from
 * realistic traffic; the layouts of the control bytes are described on each fuzz test.
 *
 * <p>Run from {@code provider/} after {@code test-compile}:
 * {@code java -cp target/classes:target/test-classes io.breakwater.fuzz.SeedCorpus src/test/resources}.
 * Inputs the fuzzer finds are kept beside these, under names of their own.
 */
public final class SeedCorpus {

    private static final int FIN = 0x80;
    private static final int RSV1 = MessageExtension.RSV1;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int PING = 0x9;

    /** Control bytes: default limits, no deflate options, one byte per buffer. */
    private static final byte[] BYTE_BY_BYTE = {0, 0, 0, 0, 0x00};
    /** Control bytes: default limits, no deflate options, buffers of 2, 0, 7 bytes, every awkward buffer style. */
    private static final byte[] ODD_BUFFERS = {0, 0, 0, 0, (byte) 0xF3, 2, 0, 7};

    private final Path root;

    private SeedCorpus(Path root) {
        this.root = root.resolve("io/breakwater/fuzz");
    }

    public static void main(String[] args) throws IOException {
        SeedCorpus corpus = new SeedCorpus(Path.of(args.length > 0 ? args[0] : "src/test/resources"));
        corpus.connectionSeeds("serverReadsClientFrames", Role.SERVER);
        corpus.connectionSeeds("clientReadsServerFrames", Role.CLIENT);
        corpus.compressedSeeds("serverReadsCompressedClientFrames", Role.SERVER);
        corpus.compressedSeeds("clientReadsCompressedServerFrames", Role.CLIENT);
        corpus.headSeeds();
        corpus.extensionSeeds();
        corpus.utf8Seeds();
    }

    // ------------------------------------------------------------------------------- connections

    private void connectionSeeds(String method, Role ours) throws IOException {
        Path dir = root.resolve("ConnectionFuzzTestInputs").resolve(method);
        byte[] conversation = peerWrites(ours, null, peer -> {
            peer.sendText("Hello");
            peer.sendBinary(ByteBuffer.wrap(counting(200)), true); // a 16-bit length
            peer.sendText(utf8("Hel"), false);
            peer.sendPing(utf8("are you there?"));
            peer.sendText(utf8("lo, wörld"), true);
            peer.sendPong(ByteBuffer.allocate(0));
            peer.close(new CloseStatus(CloseStatus.NORMAL_CLOSURE, "bye"));
        });
        write(dir, "conversation-byte-by-byte", BYTE_BY_BYTE, conversation);
        write(dir, "conversation-in-odd-buffers", ODD_BUFFERS, conversation);
        // Text limit 2 * 2 bytes: "Hello" fails with 1009 before its payload is read.
        write(dir, "message-over-limit", new byte[] {0, 2, 0, 0, 0x01, 3}, conversation);
        // Frame limit 3 * 3 bytes: the 200-byte binary frame fails with 1009.
        write(dir, "frame-over-limit", new byte[] {3, 0, 0, 0, 0x00}, conversation);
        write(dir, "close-without-status", ODD_BUFFERS, peerWrites(ours, null, peer -> {
            peer.sendBinary(ByteBuffer.wrap(counting(3)), false);
            peer.close(CloseStatus.NO_STATUS);
        }));
        write(dir, "invalid-utf8-in-text", ODD_BUFFERS, peerWrites(ours, null, peer ->
                peer.sendText(ByteBuffer.wrap(new byte[] {'o', 'k', (byte) 0xED, (byte) 0xA0, (byte) 0x80}), true)));
        write(dir, "frames-after-close-are-ignored", BYTE_BY_BYTE, concat(
                peerWrites(ours, null, peer -> peer.close(new CloseStatus(4000, "app"))),
                peerWrites(ours, null, peer -> peer.sendPing(utf8("late")))));
        // RFC 6455 §5.2: 2^63-1 bytes announced, over any frame limit; and the top bit set, never valid.
        write(dir, "length-2-pow-63-minus-1", BYTE_BY_BYTE, frameHeader(ours, BINARY | FIN, Long.MAX_VALUE));
        write(dir, "length-top-bit-set", BYTE_BY_BYTE, frameHeader(ours, BINARY | FIN, -1L));
        write(dir, "reserved-bits-and-opcode", ODD_BUFFERS, concat(
                frame(ours, FIN | TEXT | 0x20, utf8bytes("rsv2")),
                frame(ours, FIN | 0x3, utf8bytes("opcode 3"))));
        write(dir, "wrong-masking", BYTE_BY_BYTE, frame(ours == Role.SERVER ? Role.CLIENT : Role.SERVER,
                FIN | TEXT, utf8bytes("masked the wrong way")));
    }

    private void compressedSeeds(String method, Role ours) throws IOException {
        Path dir = root.resolve("ConnectionFuzzTestInputs").resolve(method);
        Role peerRole = ours == Role.SERVER ? Role.CLIENT : Role.SERVER;
        // Negotiated from the same options byte, both ends agree (see Negotiated): 0 keeps context both
        // ways, 0x0C has neither end take its context over.
        for (int options : new int[] {0x00, 0x0C}) {
            byte[] conversation = peerWrites(ours, Negotiated.read(peerRole, options).newExtension(), peer -> {
                peer.sendText("Hello, Hello, Hello!");
                peer.sendText("Hello, Hello, Hello!");
                peer.sendBinary(ByteBuffer.wrap(counting(300)), true);
                peer.sendText(utf8("part one, "), false);
                peer.sendPing(utf8("ping"));
                peer.sendText(utf8("part two"), true);
                peer.sendText("");
                peer.close(CloseStatus.NORMAL);
            });
            String suffix = options == 0 ? "" : "-no-context-takeover";
            write(dir, "conversation-byte-by-byte" + suffix, new byte[] {0, 0, 0, (byte) options, 0x00}, conversation);
            write(dir, "conversation-in-odd-buffers" + suffix,
                    new byte[] {0, 0, 0, (byte) options, (byte) 0xF3, 2, 0, 7}, conversation);
        }
        // 40,000 bytes from a few dozen: inflated in several 16 KiB pieces.
        byte[] large = peerWrites(ours, Negotiated.read(peerRole, 0).newExtension(), peer ->
                peer.sendText("a".repeat(40_000)));
        write(dir, "inflates-to-more-than-one-buffer", new byte[] {0, 0, 0, 0, 0x01, (byte) 0xFF}, large);
        // A deflate bomb: 200,000 zero bytes in a few hundred, against a binary limit of 100 * 100 bytes.
        byte[] bomb = peerWrites(ours, Negotiated.read(peerRole, 0).newExtension(), peer ->
                peer.sendBinary(ByteBuffer.allocate(200_000), true));
        write(dir, "deflate-bomb-over-limit", new byte[] {0, 0, 100, 0, 0x01, 64}, bomb);
        // A message compressed as a whole DEFLATE stream that ends with a BFINAL block (RFC 7692 §7.2.3.4).
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(utf8bytes("final block"));
        deflater.finish();
        byte[] stream = new byte[64];
        int length = deflater.deflate(stream);
        deflater.end();
        write(dir, "final-block", BYTE_BY_BYTE, concat(
                frame(ours, FIN | RSV1 | TEXT, Arrays.copyOf(stream, length)),
                frame(ours, FIN | RSV1 | TEXT, new byte[] {0x02, 0x00}))); // 02 00: an empty fixed-Huffman block
        write(dir, "not-deflate", BYTE_BY_BYTE, frame(ours, FIN | RSV1 | BINARY, new byte[] {(byte) 0xFF, 0x07, 0x00}));
    }

    /** What a peer of {@code ours} writes when it runs {@code script}. */
    private static byte[] peerWrites(Role ours, MessageExtension peerExtension, Consumer<Connection> script) {
        WrittenFrames output = new WrittenFrames();
        ConnectionListener ignore = new ConnectionListener() {
            @Override
            public void onText(ByteBuffer utf8, boolean last) {
            }

            @Override
            public void onBinary(ByteBuffer data, boolean last) {
            }

            @Override
            public void onClose(CloseStatus status) {
            }
        };
        Connection peer = ours == Role.SERVER
                ? Connection.client(ignore, output, peerExtension, () -> 0x3C0FFEE5)
                : Connection.server(ignore, output, peerExtension);
        script.accept(peer);
        peer.transportClosed();
        return output.stream();
    }

    /** One frame as a peer of {@code ours} sends it: masked with the key 0 (which changes nothing) when the peer is a client. */
    private static byte[] frame(Role ours, int firstByte, byte[] payload) {
        return concat(frameHeader(ours, firstByte, payload.length), payload);
    }

    private static byte[] frameHeader(Role ours, int firstByte, long length) {
        boolean masked = ours == Role.SERVER;
        ByteBuffer header = ByteBuffer.allocate(14).put((byte) firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (length >= 0 && length <= 125) {
            header.put((byte) (maskBit | length));
        } else if (length >= 0 && length <= 0xFFFF) {
            header.put((byte) (maskBit | 126)).putShort((short) length);
        } else {
            header.put((byte) (maskBit | 127)).putLong(length);
        }
        if (masked) {
            header.putInt(0);
        }
        return Arrays.copyOf(header.array(), header.position());
    }

    // ------------------------------------------------------------------------------------ handshake

    private void headSeeds() throws IOException {
        Path requests = root.resolve("HttpHeadFuzzTestInputs/requestHead");
        String upgrade = "GET /chat?room=1 HTTP/1.1\r\n"
                + "Host: server.example.com\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Origin: http://example.com\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, "
                + "permessage-deflate; server_max_window_bits=10\r\n"
                + "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n";
        byte[] firstFrame = {(byte) 0x81, (byte) 0x82, 0, 0, 0, 0, 'h', 'i'};
        write(requests, "upgrade-byte-by-byte", new byte[] {0, 0, 0x00}, latin1(upgrade), firstFrame);
        write(requests, "upgrade-in-odd-buffers", new byte[] {0, 0, (byte) 0xF2, 5, 17}, latin1(upgrade), firstFrame);
        write(requests, "upgrade-spelled-differently", new byte[] {0, 0, 0x01, 9}, latin1("\r\n\r\n"
                + "GET ws://server.example.com:8080/chat HTTP/1.1\r\n"
                + "host:server.example.com:8080\r\n"
                + "UPGRADE: WebSocket\r\n"
                + "connection: keep-alive,\tUpgrade\r\n"
                + "sec-websocket-key: AQIDBAUGBwgJCgsMDQ4PEA==\r\n"
                + "sec-websocket-version: 13\r\n"
                + "Sec-WebSocket-Extensions: PerMessage-Deflate; SERVER_NO_CONTEXT_TAKEOVER; "
                + "client_max_window_bits=\"12\"\r\n"
                + "X-Obs-Text: caf\u00e9\r\n"
                + "\r\n"));
        write(requests, "unsupported-version", new byte[] {0, 0, 0x01, 64},
                latin1(upgrade.replace("Version: 13", "Version: 8")));
        // A 64-byte head limit: the request line fits, the header section does not.
        write(requests, "head-over-limit", new byte[] {4, 0, 0x01, 30}, latin1(upgrade));
        // At most one header field.
        write(requests, "too-many-fields", new byte[] {0, 2, 0x01, 30}, latin1(upgrade));
        write(requests, "folded-line", new byte[] {0, 0, 0x00},
                latin1("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n"));
        write(requests, "bare-line-feed", new byte[] {0, 0, 0x00}, latin1("GET / HTTP/1.1\nHost: a\r\n\r\n"));

        Path responses = root.resolve("HttpHeadFuzzTestInputs/responseHead");
        String switching = "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n"
                + "\r\n";
        byte[] serverFrame = {(byte) 0x81, 0x02, 'h', 'i'};
        write(responses, "switching-protocols-byte-by-byte", new byte[] {0, 0, 0x00}, latin1(switching), serverFrame);
        write(responses, "switching-protocols-in-odd-buffers", new byte[] {0, 0, (byte) 0xF2, 5, 17},
                latin1(switching), serverFrame);
        write(responses, "no-reason-phrase", new byte[] {0, 0, 0x01, 7},
                latin1(switching.replace(" Switching Protocols", "")));
        write(responses, "not-found-with-body", new byte[] {0, 0, 0x01, 11}, latin1("HTTP/1.1 404 Not Found\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found"));
        write(responses, "obs-text-reason", new byte[] {0, 0, 0x00}, latin1("HTTP/1.0 200 D\u00e9j\u00e0 vu\r\n\r\n"));
        write(responses, "malformed-status-line", new byte[] {0, 0, 0x00}, latin1("HTTP/1.1 1O1 Nope\r\n\r\n"));
    }

    // ------------------------------------------------------------------------------ extensions, UTF-8

    private void extensionSeeds() throws IOException {
        Path dir = root.resolve("ExtensionHeaderFuzzTestInputs/parseAndNegotiate");
        write(dir, "deflate-offers", new byte[] {0}, latin1("permessage-deflate; client_max_window_bits, "
                + "permessage-deflate; server_max_window_bits=10, permessage-deflate"));
        write(dir, "quoted-values", new byte[] {1}, latin1(
                "permessage-deflate; client_max_window_bits=\"15\"; server_no_context_takeover"));
        write(dir, "window-with-leading-zero", new byte[] {2}, latin1("permessage-deflate; server_max_window_bits=08"));
        write(dir, "other-extensions-and-empty-elements", new byte[] {3}, latin1(
                "x-webkit-deflate-frame, foo; bar=baz ,, PerMessage-Deflate ; Client_No_Context_Takeover"));
        write(dir, "repeated-parameter", new byte[] {0}, latin1("permessage-deflate; server_no_context_takeover; "
                + "server_no_context_takeover, permessage-deflate; server_max_window_bits=15"));
        write(dir, "escaped-quote", new byte[] {0}, latin1("permessage-deflate; client_max_window_bits=\"1\\5\""));
    }

    private void utf8Seeds() throws IOException {
        Path dir = root.resolve("Utf8ValidatorFuzzTestInputs/agreesWithTheJdkDecoder");
        byte[] mixed = utf8bytes("héllo wörld, € and 𝄞, then plain ASCII longer than eight bytes");
        write(dir, "mixed-byte-by-byte", new byte[] {0x00}, mixed);
        write(dir, "mixed-in-odd-buffers", new byte[] {(byte) 0xF3, 9, 0, 2}, mixed);
        byte[] invalid = {'o', 'k', (byte) 0xC0, (byte) 0x80, ' ', (byte) 0xE0, (byte) 0x80, (byte) 0x80,
                ' ', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, ' ', (byte) 0xF5, ' ', (byte) 0x80};
        for (int end = 3; end <= invalid.length; end += 4) {
            write(dir, "invalid-sequence-" + end, new byte[] {0x02, 8, 1}, Arrays.copyOfRange(invalid, end - 3, end));
        }
        write(dir, "truncated-at-end", new byte[] {0x00}, new byte[] {'a', (byte) 0xF0, (byte) 0x9F, (byte) 0x98});
    }

    // ------------------------------------------------------------------------------------- plumbing

    private static void write(Path dir, String name, byte[]... parts) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(utf8bytes(text));
    }

    private static byte[] utf8bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
