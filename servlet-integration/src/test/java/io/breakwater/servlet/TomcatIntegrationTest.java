package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same application on embedded Tomcat 11 (tomcat-embed-core only, without Tomcat's WebSocket jar):
 * nothing in the servlet integration depends on Jetty. Tomcat gets the portable
 * {@code HttpServletRequest.upgrade}.
 */
class TomcatIntegrationTest {

    @ServerEndpoint("/echo/{name}")
    public static class EchoEndpoint {
        @OnMessage
        public String echo(String message, @PathParam("name") String name) {
            return name + ":" + message;
        }
    }

    @TempDir
    Path baseDir;
    private EmbeddedTomcat tomcat;
    private int port;

    @BeforeEach
    void start() throws Exception {
        tomcat = EmbeddedTomcat.start(baseDir, EchoEndpoint.class);
        port = tomcat.port();
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.stop();
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port + "/app" + path);
    }

    @Test
    void annotatedEchoWithPathParameterOverBreakwatersClient() throws Exception {
        CollectingClient side = new CollectingClient();
        try (Session session = ContainerProvider.getWebSocketContainer().connectToServer(side, uri("/echo/tom"))) {
            session.getBasicRemote().sendText("hi");
            assertEquals("tom:hi", side.messages.poll(10, TimeUnit.SECONDS));
        }
        assertEquals(1000, side.closed.get(10, TimeUnit.SECONDS).getCloseCode().getCode());
    }

    @Test
    void annotatedEchoOverTheJdkClient() throws Exception {
        JdkTextListener client = new JdkTextListener();
        WebSocket ws = JdkTextListener.connect(uri("/echo/jdk"), client);
        ws.sendText("hello", true).get(10, TimeUnit.SECONDS);
        assertEquals("jdk:hello", client.messages.poll(10, TimeUnit.SECONDS));
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void browserStyleHandshakeThenAFrame() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(RawHttp.handshake("/app/echo/raw").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String head = RawHttp.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            assertTrue(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "RFC 6455 §1.3's accept value: " + head);
            out.write(new byte[] {(byte) 0x81, (byte) 0x82, 0, 0, 0, 0, 'h', 'i'});
            assertEquals(0x81, in.read());
            assertEquals(6, in.read());
            assertEquals("raw:hi", new String(in.readNBytes(6), StandardCharsets.UTF_8));
        }
    }

    @Test
    void wrongVersionIs426() throws Exception {
        String response = RawHttp.exchange(port, RawHttp.handshake("/app/echo/x")
                .replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 12"));
        assertTrue(response.startsWith("HTTP/1.1 426"), response);
        assertTrue(response.toLowerCase().contains("sec-websocket-version: 13"), response);
    }

    @Test
    void stoppingTheApplicationClosesSessionsWith1001() throws Exception {
        CollectingClient side = new CollectingClient();
        Session session = ContainerProvider.getWebSocketContainer().connectToServer(side, uri("/echo/a"));
        session.getBasicRemote().sendText("x");
        assertEquals("a:x", side.messages.poll(10, TimeUnit.SECONDS));
        tomcat.context().stop();
        assertEquals(1001, side.closed.get(10, TimeUnit.SECONDS).getCloseCode().getCode());
    }
}
