package io.breakwater.transport;

import static io.breakwater.transport.Loopback.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.protocol.CloseStatus;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A whole WebSocket conversation over real loopback sockets: the NIO transport on both ends, the
 * opening handshake of the handshake package, and the engine's {@code Connection}, against a tiny echo
 * server; in the clear and over TLS 1.3 and 1.2.
 */
@Timeout(120)
class WebSocketOverNioTest {

    private static final int SMALL_MESSAGES = 1000;
    private static final int LARGE_MESSAGES = 4;
    private static final int LARGE_SIZE = 4 << 20;
    private static final long WAIT = 30;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain", "TLSv1.3", "TLSv1.2"})
    void echoesSmallAndLargeMessagesAndClosesCleanly(String mode) throws Exception {
        boolean tls = !mode.equals("plain");
        // Separate loops, as a client and a server would have.
        try (SelectorLoop serverLoop = new SelectorLoop("ws-server"); SelectorLoop clientLoop = new SelectorLoop("ws-client")) {
            serverLoop.start();
            clientLoop.start();
            CompletableFuture<WebSocketPeer> serverPeer = new CompletableFuture<>();
            NioServer server = NioServer.bind(serverLoop, loopback(0), tls ? engines(TestTls.serverContext(), mode, false)
                    : null, NioServer.DEFAULT_HANDSHAKE_TIMEOUT, transport -> {
                        WebSocketPeer peer = WebSocketPeer.echoServer(transport);
                        serverPeer.complete(peer);
                        return peer;
                    });

            Supplier<SSLEngine> clientEngines = tls ? engines(TestTls.clientContext(), mode, true) : null;
            NioTransport transport = NioTransport.connect(clientLoop, loopback(server.port()), Duration.ofSeconds(10),
                    clientEngines).get(WAIT, TimeUnit.SECONDS);
            if (tls) {
                assertEquals(mode, transport.sslSession().getProtocol());
            }
            URI uri = URI.create((tls ? "wss" : "ws") + "://localhost:" + server.port() + "/echo");
            WebSocketPeer client = WebSocketPeer.client(transport, uri);
            client.open.get(WAIT, TimeUnit.SECONDS);

            for (int i = 0; i < SMALL_MESSAGES; i++) {
                client.sendText("message " + i + " ✓");
            }
            for (int i = 0; i < SMALL_MESSAGES; i++) {
                assertEquals("message " + i + " ✓", client.messages.poll(WAIT, TimeUnit.SECONDS));
            }

            List<byte[]> large = new ArrayList<>();
            Random random = new Random(42);
            for (int i = 0; i < LARGE_MESSAGES; i++) {
                byte[] message = new byte[LARGE_SIZE];
                random.nextBytes(message);
                large.add(message);
                client.sendBinary(message);
            }
            for (byte[] expected : large) {
                Object echoed = client.messages.poll(WAIT, TimeUnit.SECONDS);
                assertNotNull(echoed, "echo of a large message");
                assertArrayEquals(expected, (byte[]) echoed);
            }
            WebSocketPeer serverSide = serverPeer.get(WAIT, TimeUnit.SECONDS);
            assertEquals(SMALL_MESSAGES + LARGE_MESSAGES, serverSide.echoed.get());

            // Close handshake: the server closes TCP first (RFC 6455 §7.1.1), the client follows its FIN.
            client.close();
            assertEquals(CloseStatus.NORMAL_CLOSURE, client.closeStatus.get(WAIT, TimeUnit.SECONDS).code());
            assertEquals(CloseStatus.NORMAL_CLOSURE, serverSide.closeStatus.get(WAIT, TimeUnit.SECONDS).code());
            assertNull(client.transportClosed.get(WAIT, TimeUnit.SECONDS));
            assertNull(serverSide.transportClosed.get(WAIT, TimeUnit.SECONDS));
            Thread.sleep(50);
            assertEquals(1, client.transportClosedCalls.get());
            assertEquals(1, serverSide.transportClosedCalls.get());
            assertTrue(client.messages.isEmpty());
            assertEquals(0, transport.queuedBytes());
            server.close();
        }
    }

    /** Engines for one TLS version; clients check the server's name as for HTTPS. */
    private static Supplier<SSLEngine> engines(SSLContext context, String protocol, boolean client) {
        return () -> {
            SSLEngine engine = client ? NioConnector.clientEngine(context, loopback(0), "localhost")
                    : context.createSSLEngine();
            engine.setUseClientMode(client);
            engine.setEnabledProtocols(new String[] {protocol});
            return engine;
        };
    }
}
