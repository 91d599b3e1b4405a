package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.transport.TestTls;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code wss://}: the client over TLS to a server with a self-signed certificate, trusted or not. */
class SecureClientTest {

    private static final BreakwaterClientContainer container = new BreakwaterClientContainer();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.builder().tls(TestTls.serverContext()).start(SecureEcho.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aClientTrustingTheCertificateConnectsAndEchoes() throws Exception {
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create().sslContext(TestTls.clientContext()).build();
        RecordingClient client = new RecordingClient((session, self) -> {
            session.setMaxTextMessageBufferSize(1 << 21);
            session.setMaxBinaryMessageBufferSize(1 << 21);
            session.addMessageHandler(String.class, text -> self.record("text:" + (text.length() > 40
                    ? text.length() + " chars" : text)));
            session.addMessageHandler(ByteBuffer.class, data -> self.record("binary:" + data.remaining()));
        });
        URI uri = server.uri("/secure");
        assertTrue(uri.toString().startsWith("wss://127.0.0.1:"), uri.toString());
        Session session = container.connectToServer(client, config, uri);
        assertEquals("open", client.next());
        assertTrue(session.isSecure());
        session.getBasicRemote().sendText("secure?");
        assertEquals("text:true", client.next(), "the server's session is secure too");
        // Larger than a TLS record (16 KiB) and than the transport's read buffer: many records each way.
        session.getBasicRemote().sendText("z".repeat(1 << 20));
        assertEquals("text:" + (1 << 20) + " chars", client.next());
        session.getBasicRemote().sendBinary(ByteBuffer.allocate(300_000));
        assertEquals("binary:300000", client.next());
        session.close();
        assertEquals("close:1000:", client.next());
    }

    @Test
    void theServersHostNameIsVerifiedAgainstTheCertificate() throws Exception {
        // The certificate names localhost and 127.0.0.1; a name resolves and is verified (and sent as SNI).
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create().sslContext(TestTls.clientContext()).build();
        RecordingClient client = new RecordingClient();
        Session session = container.connectToServer(client, config,
                URI.create("wss://localhost:" + server.port() + "/secure"));
        assertEquals("open", client.next());
        session.getBasicRemote().sendText("hello");
        assertEquals("text:hello", client.next());
        session.close();
        assertEquals("close:1000:", client.next());
    }

    @Test
    void anUntrustedCertificateIsAnIOExceptionThatSaysSo() throws Exception {
        // The platform's default trust store does not know the self-signed test certificate.
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create().sslContext(SSLContext.getDefault()).build();
        RecordingClient client = new RecordingClient();
        long started = System.nanoTime();
        IOException failure = assertThrows(IOException.class,
                () -> container.connectToServer(client, config, server.uri("/secure")));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 5_000);
        assertInstanceOf(SSLException.class, failure, String.valueOf(failure));
        String message = String.valueOf(failure.getMessage());
        // It names the server, and says what is wrong with it.
        assertTrue(message.contains(server.uri("/secure").toString()), message);
        assertTrue(message.contains("certification path") || message.contains("certificate"), message);
        client.assertNothingWithin(0);
        assertTrue(container.openSessions().isEmpty());
    }

    @Test
    void withoutAnSslContextTheDefaultOneIsUsed() {
        // No SSLContext in the configuration: wss:// still means TLS, with the platform's trust, which
        // refuses the test certificate (and so proves that TLS was attempted).
        assertThrows(SSLException.class, () -> container.connectToServer(new RecordingClient(),
                ClientEndpointConfig.Builder.create().build(), server.uri("/secure")));
    }

    @Test
    void aPlainConnectionToTheTlsServerFails() {
        Exception failure = assertThrows(Exception.class, () -> container.connectToServer(new RecordingClient(),
                shortTimeout(), URI.create("ws://127.0.0.1:" + server.port() + "/secure")));
        assertTrue(failure instanceof IOException || failure instanceof DeploymentException, String.valueOf(failure));
    }

    private static ClientEndpointConfig shortTimeout() {
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create().build();
        config.getUserProperties().put(BreakwaterClientContainer.CONNECT_TIMEOUT_PROPERTY, 2_000);
        return config;
    }

    @ServerEndpoint("/secure")
    public static class SecureEcho {
        @OnOpen
        public void open(Session session) {
            session.setMaxTextMessageBufferSize(1 << 21);
            session.setMaxBinaryMessageBufferSize(1 << 21);
        }

        @OnMessage
        public String text(String text, Session session) {
            return text.equals("secure?") ? String.valueOf(session.isSecure()) : text;
        }

        @OnMessage
        public ByteBuffer binary(ByteBuffer data) {
            return data;
        }
    }
}
