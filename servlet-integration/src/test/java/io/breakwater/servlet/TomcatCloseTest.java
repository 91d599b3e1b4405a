package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closes that Breakwater decides on one of its own threads, after the connection has written: the
 * server must still end TCP (RFC 6455 §7.1.1). Tomcat ends the TCP connection of an upgraded request
 * only when one of its threads, dispatching an event, finds both streams closed; a close on any other
 * thread needs the socket closed explicitly (ServletTransport, TomcatSocket).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TomcatCloseTest {

    private static final long CLOSE_TIMEOUT_MILLIS = 300;
    private static final long DEADLINE_MILLIS = 5_000;

    /** Echoes, and closes the session when asked to. */
    @ServerEndpoint("/closer")
    public static class CloserEndpoint {
        @OnMessage
        public String message(String text, Session session) throws IOException {
            if (text.equals("close")) {
                session.close();
                return null;
            }
            return text;
        }
    }

    /** Greets in onOpen, so that the container's first write event is spent before any input is handled. */
    @ServerEndpoint("/greeter")
    public static class GreeterEndpoint {
        @OnOpen
        public void greet(Session session) throws IOException {
            session.getBasicRemote().sendText("hello");
        }

        @OnMessage
        public String echo(String text) {
            return text;
        }
    }

    private EmbeddedTomcat tomcat;
    private int port;

    @BeforeAll
    void start(@TempDir Path baseDir) throws Exception {
        tomcat = EmbeddedTomcat.start(baseDir,
                Map.of(BreakwaterServletContainerInitializer.CLOSE_TIMEOUT_PARAMETER, Long.toString(CLOSE_TIMEOUT_MILLIS)),
                CloserEndpoint.class, GreeterEndpoint.class);
        port = tomcat.port();
    }

    @AfterAll
    void stop() throws Exception {
        tomcat.stop();
    }

    @Test
    void aPeerThatNeverAnswersTheCloseIsDroppedAfterTheCloseTimeout() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/app/closer")) {
            ws.send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("first"));
            assertEquals("first", ws.readMessage());
            ws.send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("close"));
            RawWebSocket.Frame close = ws.readUntilClose();
            assertEquals(1000, closeCode(close));
            // No answer: the close timeout's timer thread ends the connection.
            assertTrue(ws.awaitDropped(DEADLINE_MILLIS), "TCP still open " + DEADLINE_MILLIS + " ms after the Close");
        }
    }

    @Test
    void aFrameThatCameWithTheHandshakeAndBreaksTheProtocolEndsTheConnection() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout((int) DEADLINE_MILLIS);
                ByteArrayOutputStream both = new ByteArrayOutputStream();
                both.writeBytes(RawHttp.handshake("/app/greeter").getBytes(StandardCharsets.ISO_8859_1));
                // A masked text frame with RSV2 set, which no extension defines (RFC 6455 §5.2): held until
                // onOpen, which writes, has returned, then answered with 1002 on a Breakwater thread.
                both.writeBytes(new byte[] {(byte) 0xA1, (byte) 0x82, 0, 0, 0, 0, 'h', 'i'});
                socket.getOutputStream().write(both.toByteArray());
                String head = RawHttp.readHead(socket.getInputStream());
                assertTrue(head.startsWith("HTTP/1.1 101"), head);
                byte[] greeting = socket.getInputStream().readNBytes(7);
                assertEquals("hello", new String(greeting, 2, 5, StandardCharsets.UTF_8));
                int opcode = socket.getInputStream().read();
                int length = socket.getInputStream().read();
                assertEquals(0x88, opcode, "a Close frame");
                byte[] payload = socket.getInputStream().readNBytes(length);
                assertEquals(1002, (payload[0] & 0xFF) << 8 | payload[1] & 0xFF);
                assertTrue(RawHttp.awaitEnd(socket, DEADLINE_MILLIS),
                        "connection " + i + ": TCP still open " + DEADLINE_MILLIS + " ms after the Close");
            }
        }
    }

    private static int closeCode(RawWebSocket.Frame close) {
        return (close.payload()[0] & 0xFF) << 8 | close.payload()[1] & 0xFF;
    }
}
