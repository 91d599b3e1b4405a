package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The first frame after the 101 makes the server close the connection: Breakwater in Tomcat must
 * answer with its Close frame and then end TCP (RFC 6455 §7.1.1: the server closes first), every
 * time. The session is new, so that frame often arrives while onOpen is still running and is handled
 * on a callback thread once it has returned; Tomcat ends TCP only when its own thread finds the
 * streams closed (see ServletTransport's writeListenerSet). Before that was known, about one such
 * connection in eight here kept TCP open. Many connections make the race likely; each gets a
 * generous deadline. The endpoint writes nothing in onOpen, so that the close is made in the container
 * event kept for it; TomcatCloseTest has an endpoint that writes first, whose close needs TomcatSocket.
 *
 * <p>{@code -Dbreakwater.firstFrameCloses.connections=2000} runs more of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TomcatFirstFrameClosesTest {

    private static final int CONNECTIONS = Integer.getInteger("breakwater.firstFrameCloses.connections", 200);
    private static final int PARALLEL = 4;
    private static final int DEADLINE_MILLIS = 5_000;

    @ServerEndpoint("/echo")
    public static class EchoEndpoint {
        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

    /** A first frame that ends the connection, and the close code the server must answer it with. */
    enum FirstFrame {
        /** A masked Close frame with 1000. */
        CLOSE(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xE8}, 1000),
        /** A masked text frame with RSV2 set and no extension that defines it: RFC 6455 §5.2, 1002. */
        RESERVED_BITS(new byte[] {(byte) 0xA1, (byte) 0x82, 0, 0, 0, 0, 'h', 'i'}, 1002);

        final byte[] bytes;
        final int expectedCode;

        FirstFrame(byte[] bytes, int expectedCode) {
            this.bytes = bytes;
            this.expectedCode = expectedCode;
        }
    }

    private EmbeddedTomcat tomcat;
    private int port;

    @BeforeAll
    void start(@TempDir Path baseDir) throws Exception {
        tomcat = EmbeddedTomcat.start(baseDir, EchoEndpoint.class);
        port = tomcat.port();
    }

    @AfterAll
    void stop() throws Exception {
        tomcat.stop();
    }

    @ParameterizedTest
    @EnumSource(FirstFrame.class)
    void frameRightAfterThe101(FirstFrame frame) throws Exception {
        assertEveryConnectionCloses(frame, false);
    }

    @ParameterizedTest
    @EnumSource(FirstFrame.class)
    void frameInTheSameWriteAsTheHandshake(FirstFrame frame) throws Exception {
        assertEveryConnectionCloses(frame, true);
    }

    private void assertEveryConnectionCloses(FirstFrame frame, boolean withHandshake) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                outcomes.add(clients.submit(() -> closeOnFirstFrame(frame, withHandshake)));
            }
            Map<String, Integer> failures = new TreeMap<>();
            for (Future<String> outcome : outcomes) {
                String failure = outcome.get();
                if (failure != null) {
                    failures.merge(failure, 1, Integer::sum);
                }
            }
            assertEquals(Map.of(), failures, "connections failed (of " + CONNECTIONS + "), by how");
        } finally {
            clients.shutdownNow();
        }
    }

    /** One connection; returns what went wrong, or null when the server sent its Close and ended TCP. */
    private String closeOnFirstFrame(FirstFrame frame, boolean withHandshake) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(DEADLINE_MILLIS);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            byte[] handshake = RawHttp.handshake("/app/echo").getBytes(StandardCharsets.ISO_8859_1);
            InputStream in = socket.getInputStream();
            if (withHandshake) {
                ByteArrayOutputStream both = new ByteArrayOutputStream();
                both.write(handshake);
                both.write(frame.bytes);
                out.write(both.toByteArray());
            } else {
                out.write(handshake);
            }
            String head = RawHttp.readHead(in);
            if (!head.startsWith("HTTP/1.1 101")) {
                return "no 101: " + head;
            }
            if (!withHandshake) {
                out.write(frame.bytes);
            }
            int code;
            try {
                int opcode = in.read();
                int length = in.read();
                if (opcode != 0x88 || length < 2 || length > 125) {
                    return "no Close frame: first bytes " + opcode + ", " + length;
                }
                byte[] payload = in.readNBytes(length);
                code = (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
            } catch (SocketTimeoutException e) {
                return "no Close frame within " + DEADLINE_MILLIS + " ms";
            }
            if (code != frame.expectedCode) {
                return "Close with " + code + " instead of " + frame.expectedCode;
            }
            try {
                int next = in.read();
                return next == -1 ? null : "a byte after the Close frame: " + next;
            } catch (SocketTimeoutException e) {
                return "Close frame, but TCP not ended within " + DEADLINE_MILLIS + " ms";
            }
        }
    }
}
