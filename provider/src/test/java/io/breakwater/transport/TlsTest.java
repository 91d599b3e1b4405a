package io.breakwater.transport;

import static io.breakwater.transport.Loopback.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TLS specifics: data that comes with the handshake's last flight, delegated tasks, close_notify. */
@Timeout(60)
class TlsTest {

    @Test
    void applicationDataSentWithTheClientsFinishedMessageIsDelivered() throws Exception {
        try (Loopback loopback = new Loopback(true)) {
            RecordingHandler serverHandler = new RecordingHandler();
            CompletableFuture<NioTransport> serverSide = new CompletableFuture<>();
            NioServer server = loopback.serve(Loopback.capture(serverSide, serverHandler));
            SSLEngine engine = TestTls.clientContext().createSSLEngine("localhost", server.port());
            engine.setUseClientMode(true);
            engine.setEnabledProtocols(new String[] {"TLSv1.3"});
            byte[] early = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            try (SocketChannel socket = SocketChannel.open(loopback(server.port()))) {
                handshakeThenSendInOneWrite(socket, engine, early);
                serverHandler.awaitBytes(early.length, Duration.ofSeconds(10));
                assertEquals(new String(early, StandardCharsets.US_ASCII),
                        new String(serverHandler.receivedData(), StandardCharsets.US_ASCII));
                assertTrue(serverSide.get().isSecure());
            }
        }
    }

    /**
     * A blocking TLS client that holds back its last handshake message and sends it together with the
     * first application data, in one write: the server reads both at once.
     */
    private static void handshakeThenSendInOneWrite(SocketChannel socket, SSLEngine engine, byte[] data)
            throws IOException {
        int packet = engine.getSession().getPacketBufferSize();
        ByteBuffer netOut = ByteBuffer.allocate(4 * packet);
        ByteBuffer netIn = ByteBuffer.allocate(4 * packet);
        ByteBuffer app = ByteBuffer.allocate(4 * engine.getSession().getApplicationBufferSize());
        ByteBuffer nothing = ByteBuffer.allocate(0);
        engine.beginHandshake();
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } else if (status == HandshakeStatus.NEED_WRAP) {
                SSLEngineResult result = engine.wrap(nothing, netOut);
                if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    engine.wrap(ByteBuffer.wrap(data), netOut); // right behind the Finished message
                    writeAll(socket, netOut);
                    return;
                }
            } else if (status == HandshakeStatus.NEED_UNWRAP) {
                writeAll(socket, netOut);
                netIn.flip();
                SSLEngineResult result = engine.unwrap(netIn, app);
                netIn.compact();
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && socket.read(netIn) < 0) {
                    throw new IOException("server closed during the handshake");
                }
            } else {
                throw new IllegalStateException("the handshake ended before the client's Finished: " + status);
            }
        }
    }

    private static void writeAll(SocketChannel socket, ByteBuffer netOut) throws IOException {
        netOut.flip();
        while (netOut.hasRemaining()) {
            socket.write(netOut);
        }
        netOut.clear();
    }

    @Test
    void delegatedTasksRunOffTheLoopThread() throws Exception {
        Set<String> taskThreads = ConcurrentHashMap.newKeySet();
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> new Thread(runnable, "tls-tasks"));
        try (SelectorLoop loop = new SelectorLoop("tls-loop", task -> executor.execute(() -> {
            taskThreads.add(Thread.currentThread().getName());
            task.run();
        }))) {
            loop.start();
            RecordingHandler serverHandler = new RecordingHandler();
            NioServer server = NioServer.bind(loop, loopback(0), TestTls.serverContext(), transport -> serverHandler);
            NioTransport client = NioTransport.connect(loop, loopback(server.port()), Duration.ofSeconds(10),
                    TestTls.clientContext(), "localhost").get(20, TimeUnit.SECONDS);
            client.start(new RecordingHandler());
            client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), null);
            client.flush(failure -> { });
            serverHandler.awaitBytes(3, Duration.ofSeconds(10));
            assertEquals(Set.of("tls-tasks"), taskThreads, "the JDK's engine delegates work in the handshake");
            client.abort();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void closeSendsCloseNotifyWhichThePeerSeesAsEndOfInput() throws Exception {
        try (Loopback loopback = new Loopback(true)) {
            RecordingHandler serverHandler = new RecordingHandler();
            CompletableFuture<NioTransport> serverSide = new CompletableFuture<>();
            loopback.serve(Loopback.capture(serverSide, serverHandler));
            NioTransport client = loopback.connect();
            RecordingHandler clientHandler = new RecordingHandler();
            client.start(clientHandler);
            client.write(ByteBuffer.wrap("last words".getBytes(StandardCharsets.US_ASCII)), null);
            client.close();
            serverHandler.endOfInput.get(10, TimeUnit.SECONDS);
            assertEquals("last words", new String(serverHandler.receivedData(), StandardCharsets.US_ASCII));
            // The server may still answer: its side is open until it closes.
            NioTransport server = serverSide.get();
            server.write(ByteBuffer.wrap("too late".getBytes(StandardCharsets.US_ASCII)), null);
            server.close();
            assertNull(serverHandler.awaitClosedOnce(Duration.ofSeconds(10)));
            assertNull(clientHandler.awaitClosedOnce(Duration.ofSeconds(10)));
            assertEquals(0, clientHandler.dataCalls.get(), "input after close() is discarded");
        }
    }

    @Test
    void addressesAndSessionOfAnAcceptedConnection() throws Exception {
        try (Loopback loopback = new Loopback(true)) {
            CompletableFuture<NioTransport> serverSide = new CompletableFuture<>();
            loopback.serve(Loopback.capture(serverSide, new RecordingHandler()));
            NioTransport client = loopback.connect();
            NioTransport server = serverSide.get(10, TimeUnit.SECONDS);
            assertEquals(client.localAddress(), server.remoteAddress());
            assertEquals(client.remoteAddress(), server.localAddress());
            assertEquals(client.sslSession().getCipherSuite(), server.sslSession().getCipherSuite());
            client.abort();
        }
    }
}
