package io.breakwater.transport;

import static io.breakwater.transport.Loopback.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ConnectTest {

    private final SelectorLoop loop = new SelectorLoop("connect-test");

    {
        loop.start();
    }

    @AfterEach
    void stop() {
        loop.stop();
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void aClosedPortFailsQuicklyWithConnectExceptionNamingTheAddress() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        long started = System.nanoTime();
        Throwable failure = failureOf(NioTransport.connect(loop, loopback(port), Duration.ofSeconds(10)));
        assertInstanceOf(ConnectException.class, failure);
        assertTrue(failure.getMessage().contains("127.0.0.1:" + port), failure.getMessage());
        assertNotNull(failure.getCause());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aConnectThatIsNotAnsweredTimesOutNamingTheAddress() throws Exception {
        // A listener that never accepts, its backlog filled: Linux then drops further SYNs, so the next
        // connection attempt hangs. Elsewhere the backlog may behave differently; then the test is skipped.
        try (ServerSocket silent = new ServerSocket(0, 1, loopback(0).getAddress())) {
            InetSocketAddress address = loopback(silent.getLocalPort());
            List<NioTransport> fillers = new ArrayList<>();
            try {
                for (int attempt = 0; attempt < 16; attempt++) {
                    long started = System.nanoTime();
                    CompletableFuture<NioTransport> connecting =
                            NioTransport.connect(loop, address, Duration.ofMillis(300));
                    try {
                        fillers.add(connecting.get(20, TimeUnit.SECONDS));
                        continue; // the backlog took it: keep it there, and try again
                    } catch (ExecutionException e) {
                        Throwable failure = e.getCause();
                        if (failure instanceof SocketTimeoutException) {
                            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                            assertTrue(failure.getMessage().contains("connect to "), failure.getMessage());
                            assertTrue(failure.getMessage().contains("127.0.0.1:" + address.getPort()),
                                    failure.getMessage());
                            assertTrue(failure.getMessage().contains("300 ms"), failure.getMessage());
                            assertTrue(elapsed >= 250 && elapsed < 5000, "elapsed " + elapsed);
                            return;
                        }
                        Assumptions.abort("the platform answered a full backlog with " + failure);
                    }
                }
                Assumptions.abort("the backlog never filled");
            } finally {
                for (NioTransport filler : fillers) {
                    filler.abort();
                }
            }
        }
    }

    @Test
    void anUnresolvedAddressIsResolvedOffTheLoop() throws Exception {
        try (Loopback loopback = new Loopback(false)) {
            RecordingHandler serverHandler = new RecordingHandler();
            NioServer server = loopback.serve(transport -> serverHandler);
            NioTransport client = NioTransport.connect(loop,
                    InetSocketAddress.createUnresolved("localhost", server.port()), Duration.ofSeconds(10))
                    .get(20, TimeUnit.SECONDS);
            client.start(new RecordingHandler());
            client.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2}), null);
            client.flush(failure -> { });
            serverHandler.awaitBytes(2, Duration.ofSeconds(10));
            client.abort();
        }
    }

    @Test
    void connectingOnAStoppedLoopFails() {
        SelectorLoop stopped = new SelectorLoop("stopped");
        stopped.start();
        stopped.stop();
        Throwable failure = failureOf(NioTransport.connect(stopped, loopback(9), Duration.ofSeconds(1)));
        assertInstanceOf(ConnectException.class, failure);
        assertTrue(failure.getMessage().contains("not running"), failure.getMessage());
    }

    // ------------------------------------------------------------------------------------------- TLS

    @Test
    void tlsHandshakeIsDoneWhenTheFutureCompletes() throws Exception {
        try (Loopback loopback = new Loopback(true)) {
            loopback.serve(transport -> new RecordingHandler());
            NioTransport client = loopback.connect(loop);
            assertTrue(client.isSecure());
            assertNotNull(client.sslSession());
            assertTrue(client.sslSession().getProtocol().startsWith("TLSv1."), client.sslSession().getProtocol());
            assertEquals("CN=localhost", client.sslSession().getPeerPrincipal().getName());
            client.abort();
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        try (Loopback loopback = new Loopback(true)) {
            NioServer server = loopback.serve(transport -> new RecordingHandler());
            Throwable failure = failureOf(NioTransport.connect(loop, loopback(server.port()),
                    Duration.ofSeconds(10), TestTls.clientContext(), "wrong.example"));
            assertInstanceOf(SSLException.class, failure);
        }
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        try (Loopback loopback = new Loopback(true)) {
            NioServer server = loopback.serve(transport -> new RecordingHandler());
            javax.net.ssl.SSLContext defaults = javax.net.ssl.SSLContext.getInstance("TLS");
            defaults.init(null, null, null); // the JDK's CA certificates, which do not include the test's
            Throwable failure = failureOf(NioTransport.connect(loop, loopback(server.port()),
                    Duration.ofSeconds(10), defaults, "localhost"));
            assertInstanceOf(SSLException.class, failure);
        }
    }

    @Test
    void aTlsHandshakeThatIsNotAnsweredTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, loopback(0).getAddress())) {
            CompletableFuture<NioTransport> connecting = NioTransport.connect(loop,
                    loopback(silent.getLocalPort()), Duration.ofMillis(500), TestTls.clientContext(), "localhost");
            try (Socket accepted = silent.accept()) {
                accepted.setSoTimeout(5000); // accepted, and never answered
                Throwable failure = failureOf(connecting);
                assertInstanceOf(SocketTimeoutException.class, failure);
                assertTrue(failure.getMessage().startsWith("TLS handshake with "), failure.getMessage());
                assertTrue(failure.getMessage().contains(":" + silent.getLocalPort()), failure.getMessage());
            }
        }
    }

    @Test
    void theServerDropsAClientThatNeverCompletesTheTlsHandshake() throws Exception {
        try (SelectorLoop serverLoop = new SelectorLoop("tls-server")) {
            serverLoop.start();
            List<NioTransport> accepted = new ArrayList<>();
            NioServer server = NioServer.bind(serverLoop, loopback(0), () -> {
                try {
                    SSLEngine engine = TestTls.serverContext().createSSLEngine();
                    engine.setUseClientMode(false);
                    return engine;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, Duration.ofMillis(300), transport -> {
                accepted.add(transport);
                return new RecordingHandler();
            });
            try (Socket socket = new Socket(server.localAddress().getAddress(), server.port())) {
                socket.setSoTimeout(10_000);
                InputStream in = socket.getInputStream();
                long started = System.nanoTime();
                try {
                    assertEquals(-1, in.read());
                } catch (java.net.SocketException reset) {
                    // a reset is as good as an end of stream here
                }
                assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
            }
            assertTrue(accepted.isEmpty(), "the handler factory sees established connections only");
            server.close();
        }
    }

    @Test
    void tlsVersionsCanBeChosenThroughTheEngineSupplier() throws Exception {
        try (Loopback loopback = new Loopback(true)) {
            CompletableFuture<NioTransport> serverSide = new CompletableFuture<>();
            NioServer server = loopback.serve(Loopback.capture(serverSide, new RecordingHandler()));
            javax.net.ssl.SSLContext context = TestTls.clientContext();
            NioTransport client = NioTransport.connect(loop, loopback(server.port()), Duration.ofSeconds(10), () -> {
                SSLEngine engine = NioConnector.clientEngine(context, loopback(server.port()), "localhost");
                engine.setEnabledProtocols(new String[] {"TLSv1.2"});
                return engine;
            }).get(20, TimeUnit.SECONDS);
            assertEquals("TLSv1.2", client.sslSession().getProtocol());
            assertEquals("TLSv1.2", serverSide.get(10, TimeUnit.SECONDS).sslSession().getProtocol());
            client.abort();
        }
    }
}
