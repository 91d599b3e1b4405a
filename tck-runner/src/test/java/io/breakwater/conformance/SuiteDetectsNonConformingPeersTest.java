package io.breakwater.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.conformance.cases.CaseCatalog;
import io.breakwater.conformance.cases.Outcome;
import io.breakwater.conformance.run.CaseResult;
import io.breakwater.conformance.run.FuzzingClient;
import io.breakwater.conformance.run.FuzzingServer;
import io.breakwater.conformance.wire.Frame;
import io.breakwater.conformance.wire.FrameDecoder;
import io.breakwater.conformance.wire.FrameEncoder;
import io.breakwater.conformance.wire.HandshakeKeys;
import io.breakwater.conformance.wire.HttpHead;
import io.breakwater.conformance.wire.Opcode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The suite must be able to fail: peers that skip RFC 6455's checks get FAILED on the cases made
 * for those checks, and OK where they do nothing wrong.
 */
class SuiteDetectsNonConformingPeersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** A test server on loopback: accepts, answers the opening handshake, and hands each connection's frames on. */
    private abstract static class RawServer implements AutoCloseable {
        private final ServerSocket serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        RawServer() throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!serverSocket.isClosed()) {
                    try {
                        Socket socket = serverSocket.accept();
                        Thread connection = new Thread(() -> serve(socket));
                        connection.setDaemon(true);
                        connection.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI uri() {
            return URI.create("ws://127.0.0.1:" + serverSocket.getLocalPort() + "/echo");
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                HttpHead request = HttpHead.read(in);
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + HandshakeKeys.accept(request.field("Sec-WebSocket-Key"))
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                serveFrames(new FrameDecoder(in), in, out);
            } catch (IOException e) {
                // The fuzzer ended the connection.
            }
        }

        /** What the server does with one connection's frames, after the 101. */
        abstract void serveFrames(FrameDecoder decoder, InputStream in, OutputStream out) throws IOException;

        @Override
        public void close() throws IOException {
            serverSocket.close();
        }
    }

    /**
     * A server that validates nothing: it echoes every frame as it came (unmasked), answers every
     * Close with 1000, and then ends TCP, or keeps it open when told to.
     */
    private static final class SloppyEchoServer extends RawServer {
        private final boolean keepTcpOpen;

        SloppyEchoServer(boolean keepTcpOpen) throws IOException {
            this.keepTcpOpen = keepTcpOpen;
        }

        @Override
        void serveFrames(FrameDecoder decoder, InputStream in, OutputStream out) throws IOException {
            Frame frame;
            while ((frame = decoder.next()) != null) {
                if (frame.opcode() == Opcode.CLOSE) {
                    out.write(FrameEncoder.encode(Frame.of(Opcode.CLOSE, new byte[] {0x03, (byte) 0xe8})));
                    if (keepTcpOpen) {
                        while (in.read() >= 0) {
                            // Wait for the client to give up.
                        }
                    }
                    return;
                }
                int opcode = frame.opcode() == Opcode.PING ? Opcode.PONG : frame.opcode();
                out.write(FrameEncoder.encode(new Frame(frame.fin(), frame.rsv(), opcode, frame.payload(), null)));
            }
        }

    }

    /**
     * A server that validates what RFC 6455 §5.2 and §5.4 need for groups 3-5 and fails the
     * connection with 1002, echoing text messages either at once or, like a peer that judges a whole
     * read before it delivers anything, only once the next frame has proved valid: a message
     * followed by a protocol violation is then never echoed.
     */
    private static final class ValidatingEchoServer extends RawServer {
        private final boolean echoAtOnce;

        ValidatingEchoServer(boolean echoAtOnce) throws IOException {
            this.echoAtOnce = echoAtOnce;
        }

        @Override
        void serveFrames(FrameDecoder decoder, InputStream in, OutputStream out) throws IOException {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            boolean inMessage = false;
            byte[] pending = null;
            Frame frame;
            while ((frame = decoder.next()) != null) {
                int opcode = frame.opcode();
                boolean valid;
                if (frame.rsv() != 0 || Opcode.isReserved(opcode)) {
                    valid = false;
                } else if (Opcode.isControl(opcode)) {
                    valid = true;
                } else {
                    // §5.4: a continuation only inside a message, a new message only outside one.
                    valid = (opcode == Opcode.CONTINUATION) == inMessage;
                }
                if (!valid) {
                    out.write(FrameEncoder.encode(Frame.of(Opcode.CLOSE, new byte[] {0x03, (byte) 0xea})));
                    awaitCloseThenEnd(decoder);
                    return;
                }
                if (pending != null) {
                    out.write(FrameEncoder.encode(Frame.of(Opcode.TEXT, pending)));
                    pending = null;
                }
                if (opcode == Opcode.CLOSE) {
                    out.write(FrameEncoder.encode(Frame.of(Opcode.CLOSE, new byte[] {0x03, (byte) 0xe8})));
                    return;
                }
                if (opcode == Opcode.PING) {
                    out.write(FrameEncoder.encode(Frame.of(Opcode.PONG, frame.payload())));
                    continue;
                }
                if (Opcode.isControl(opcode)) {
                    continue;
                }
                message.write(frame.payload());
                inMessage = !frame.fin();
                if (frame.fin()) {
                    if (echoAtOnce) {
                        out.write(FrameEncoder.encode(Frame.of(Opcode.TEXT, message.toByteArray())));
                    } else {
                        pending = message.toByteArray();
                    }
                    message.reset();
                }
            }
        }

        /** After its Close, the server reads on until the fuzzer's Close, then ends TCP (§7.1.1). */
        private static void awaitCloseThenEnd(FrameDecoder decoder) throws IOException {
            Frame frame;
            while ((frame = decoder.next()) != null && frame.opcode() != Opcode.CLOSE) {
                // What follows the violation is ignored.
            }
        }

    }

    private static Map<String, CaseResult> run(URI uri, String cases) {
        Map<String, CaseResult> results = new HashMap<>();
        new FuzzingClient(uri, TIMEOUT).runAll(CaseCatalog.select(cases), r -> results.put(r.id(), r));
        return results;
    }

    @Test
    void aServerThatValidatesNothingFailsTheCasesForEachRule() throws Exception {
        try (SloppyEchoServer server = new SloppyEchoServer(false)) {
            Map<String, CaseResult> results = run(server.uri(), "1.1.1,2.5,3.1,4.1.1,5.9,6.3.1,7.3.1,7.9.1");
            assertEquals(Outcome.OK, results.get("1.1.1").outcome(), results.get("1.1.1").notes().toString());
            assertEquals(Outcome.OK, results.get("7.3.1").outcome(), results.get("7.3.1").notes().toString());
            assertFailed(results.get("2.5"), "control frame payload of 126 bytes");
            assertFailed(results.get("3.1"), "RSV bits 4");
            assertFailed(results.get("4.1.1"), "reserved opcode 3");
            assertFailed(results.get("5.9"), "continuation frame with no message to continue");
            assertFailed(results.get("6.3.1"), "not valid UTF-8");
            assertFailed(results.get("7.9.1"), "closed with 1000, expected one of [1002]");
        }
    }

    /** The cases where wstest wants a valid message echoed before the connection is failed. */
    private static final String ECHO_BEFORE_FAILING = "3.2,3.3,3.4,4.1.3,4.1.4,4.1.5,4.2.3,4.2.4,4.2.5,5.15";

    @Test
    void aServerThatFailsWithoutEchoingWhatCameBeforeTheViolationIsNonStrict() throws Exception {
        try (ValidatingEchoServer server = new ValidatingEchoServer(false)) {
            Map<String, CaseResult> results = run(server.uri(), ECHO_BEFORE_FAILING);
            assertEquals(10, results.size());
            for (CaseResult result : results.values()) {
                assertEquals(Outcome.NON_STRICT, result.outcome(), result.id() + " " + result.notes());
                assertEquals(Outcome.OK, result.closingOutcome(), result.id() + ": the failure itself was right");
                assertTrue(result.notes().stream().anyMatch(n -> n.contains("OK needs")), result.id() + " "
                        + result.notes());
            }
        }
    }

    @Test
    void aServerThatEchoesBeforeItFailsIsOk() throws Exception {
        try (ValidatingEchoServer server = new ValidatingEchoServer(true)) {
            Map<String, CaseResult> results = run(server.uri(), ECHO_BEFORE_FAILING);
            assertEquals(10, results.size());
            for (CaseResult result : results.values()) {
                assertEquals(Outcome.OK, result.outcome(), result.id() + " " + result.notes()
                        + " observed " + result.observedEvents());
            }
        }
    }

    @Test
    void aServerThatKeepsTcpOpenAfterTheClosingHandshakeFails() throws Exception {
        try (SloppyEchoServer server = new SloppyEchoServer(true)) {
            CaseResult result = run(server.uri(), "1.1.1").get("1.1.1");
            assertFailed(result, "the server did not end TCP");
            assertEquals(Outcome.OK, result.behaviourOutcome(), "the echo itself was right");
        }
    }

    @Test
    void aClientThatDoesNotMaskFails() throws Exception {
        try (FuzzingServer server = new FuzzingServer(CaseCatalog.select("1.1.2"), InetAddress.getLoopbackAddress(), 0,
                TIMEOUT, r -> { }, () -> { })) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /runCase?casetuple=1.1.2 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = new BufferedInputStream(socket.getInputStream());
                assertTrue(HttpHead.read(in).startLine().startsWith("HTTP/1.1 101"));
                Frame frame = new FrameDecoder(in).next();
                out.write(FrameEncoder.encode(Frame.of(frame.opcode(), frame.payload()))); // not masked
                CaseResult result = server.awaitResult("1.1.2", Duration.ofSeconds(10));
                assertFailed(result, "unmasked frame from the client");
            }
        }
    }

    private static void assertFailed(CaseResult result, String note) {
        assertEquals(Outcome.FAILED, result.outcome(), result.id() + " " + result.notes());
        assertTrue(result.notes().stream().anyMatch(n -> n.contains(note)),
                result.id() + ": expected a note with \"" + note + "\" in " + result.notes());
    }

}
