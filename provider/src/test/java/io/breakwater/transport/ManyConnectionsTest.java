package io.breakwater.transport;

import static io.breakwater.transport.Loopback.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Many connections, both their ends, on one loop thread. */
@Timeout(120)
class ManyConnectionsTest {

    private static final int CONNECTIONS = 200;
    private static final int BYTES_EACH = 64 * 1024;

    /** Echoes what it reads and closes when the peer does. */
    private static final class Echo implements TransportHandler {
        private final NioTransport transport;
        private final Set<String> threads;
        private final CountDownLatch closed;

        Echo(NioTransport transport, Set<String> threads, CountDownLatch closed) {
            this.transport = transport;
            this.threads = threads;
            this.closed = closed;
        }

        @Override
        public void onData(ByteBuffer data) {
            threads.add(Thread.currentThread().getName());
            // The buffer is the loop's and only valid during the call: copy what is kept.
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            transport.write(copy, null);
            transport.flush(failure -> { });
        }

        @Override
        public void onEndOfInput() {
            transport.close();
        }

        @Override
        public void onClosed(Throwable failure) {
            threads.add(Thread.currentThread().getName());
            if (failure == null) {
                closed.countDown();
            }
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void twoHundredConnectionsEchoOnOneLoop(boolean tls) throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch serversClosed = new CountDownLatch(CONNECTIONS);
        try (SelectorLoop loop = new SelectorLoop("many-loop")) {
            loop.start();
            NioServer server = NioServer.bind(loop, loopback(0), tls ? TestTls.serverContext() : null,
                    transport -> new Echo(transport, threads, serversClosed));
            SSLContext clientContext = tls ? TestTls.clientContext() : null;

            List<CompletableFuture<NioTransport>> connecting = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                connecting.add(NioTransport.connect(loop, loopback(server.port()), Duration.ofSeconds(30),
                        clientContext, "localhost"));
            }
            List<NioTransport> clients = new ArrayList<>();
            List<RecordingHandler> handlers = new ArrayList<>();
            List<byte[]> sent = new ArrayList<>();
            Random random = new Random(7);
            for (CompletableFuture<NioTransport> future : connecting) {
                NioTransport client = future.get(60, TimeUnit.SECONDS);
                RecordingHandler handler = new RecordingHandler();
                client.start(handler);
                byte[] data = new byte[BYTES_EACH];
                random.nextBytes(data);
                client.write(ByteBuffer.wrap(data), null);
                client.flush(failure -> { });
                clients.add(client);
                handlers.add(handler);
                sent.add(data);
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                handlers.get(i).awaitBytes(BYTES_EACH, Duration.ofSeconds(60));
                assertArrayEquals(sent.get(i), handlers.get(i).receivedData(), "echo on connection " + i);
                clients.get(i).close();
            }
            for (RecordingHandler handler : handlers) {
                assertNull(handler.closed.get(60, TimeUnit.SECONDS));
            }
            assertTrue(serversClosed.await(60, TimeUnit.SECONDS));
            Thread.sleep(50);
            for (RecordingHandler handler : handlers) {
                assertEquals(1, handler.closedCalls.get());
                threads.addAll(handler.threads);
            }
            assertEquals(Set.of("many-loop"), threads, "every handler call on the one loop thread");
            server.close();
        }
    }
}
