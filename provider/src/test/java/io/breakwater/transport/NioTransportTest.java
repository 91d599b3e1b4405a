package io.breakwater.transport;

import static io.breakwater.transport.Loopback.WAIT;
import static io.breakwater.transport.Loopback.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class NioTransportTest {

    /** More than loopback socket buffers hold, even grown by autotuning, so that writers must wait. */
    private static final int FLOOD = 32 << 20;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private Loopback newLoopback(boolean tls) {
        Loopback loopback = new Loopback(tls);
        resources.add(loopback);
        return loopback;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes {@code data} in 64 KiB slices and flushes once; returns the flush's outcome. */
    private static CompletableFuture<Throwable> writeAll(Transport transport, byte[] data) {
        for (int at = 0; at < data.length; at += 65536) {
            transport.write(ByteBuffer.wrap(data, at, Math.min(65536, data.length - at)), null);
        }
        CompletableFuture<Throwable> flushed = new CompletableFuture<>();
        transport.flush(flushed::complete);
        return flushed;
    }

    /** Waits until the queue stops shrinking: the peer's buffers are full. */
    private static long awaitStall(Transport transport) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 200; i++) {
            Thread.sleep(50);
            long now = transport.queuedBytes();
            if (now > 0 && now == last) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the queue did not stall: " + transport.queuedBytes() + " bytes queued");
    }

    private static Throwable await(CompletableFuture<Throwable> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    // ----------------------------------------------------------------------------------- backpressure

    @Test
    void queueGrowsWhilePeerDoesNotReadAndFlushesCompleteInOrderOnceItDoes() throws Exception {
        SelectorLoop loop = newLoopback(false).loop;
        try (ServerSocket peer = new ServerSocket()) {
            peer.setReceiveBufferSize(64 * 1024);
            peer.bind(loopback(0));
            NioTransport transport = NioTransport.connect(loop, loopback(peer.getLocalPort()), WAIT)
                    .get(10, TimeUnit.SECONDS);
            RecordingHandler handler = new RecordingHandler();
            transport.start(handler);
            Socket socket = peer.accept();

            int chunks = 48;
            int chunkSize = 1 << 20;
            byte[] pattern = random(chunkSize, 1);
            List<Integer> completed = new CopyOnWriteArrayList<>();
            CountDownLatch allDone = new CountDownLatch(chunks);
            for (int i = 0; i < chunks; i++) {
                int chunk = i;
                transport.write(ByteBuffer.allocate(4).putInt(0, chunk), ByteBuffer.wrap(pattern));
                transport.flush(failure -> {
                    completed.add(failure == null ? chunk : -1 - chunk);
                    allDone.countDown();
                });
            }
            long total = (long) chunks * (chunkSize + 4);

            long stalled = awaitStall(transport);
            assertTrue(stalled > 0 && stalled <= total, "queued " + stalled);
            int doneWhileStalled = completed.size();
            assertTrue(doneWhileStalled < chunks, "flushes completed while the peer did not read");
            assertEquals(IntStream.range(0, doneWhileStalled).boxed().toList(), completed);
            Thread.sleep(200);
            assertEquals(doneWhileStalled, completed.size(), "nothing completes while the peer does not read");
            assertEquals(stalled, transport.queuedBytes());

            // The peer reads everything now, checking the order.
            CompletableFuture<Void> read = CompletableFuture.runAsync(() -> {
                try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
                    byte[] payload = new byte[chunkSize];
                    for (int i = 0; i < chunks; i++) {
                        assertEquals(i, in.readInt());
                        in.readFully(payload);
                        assertArrayEquals(pattern, payload);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(allDone.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(IntStream.range(0, chunks).boxed().toList(), completed);
            assertEquals(0, transport.queuedBytes());
            read.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            socket.close();
        }
    }

    @Test
    void queuedBytesCountsWhatIsNotYetWritten() throws Exception {
        Loopback loopback = newLoopback(false);
        CompletableFuture<NioTransport> serverSide = new CompletableFuture<>();
        RecordingHandler serverHandler = new RecordingHandler();
        loopback.serve(Loopback.capture(serverSide, serverHandler));
        NioTransport client = loopback.connect();
        client.start(new RecordingHandler());
        assertEquals(0, client.queuedBytes());
        serverSide.get(10, TimeUnit.SECONDS).suspendReading();
        CompletableFuture<Throwable> flushed = writeAll(client, random(FLOOD, 2));
        long stalled = awaitStall(client);
        assertTrue(stalled > 0 && stalled < FLOOD, "queued " + stalled);
        // What is neither queued nor received is in the socket buffers, which are bounded.
        assertTrue(FLOOD - stalled < 24 << 20, "queued " + stalled);
        serverSide.get().resumeReading();
        assertNull(await(flushed));
        assertEquals(0, client.queuedBytes());
        serverHandler.awaitBytes(FLOOD, WAIT);
    }

    // --------------------------------------------------------------------------------- suspend/resume

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void suspendedTransportReadsNothingUntilResumed(boolean tls) throws Exception {
        Loopback loopback = newLoopback(tls);
        CompletableFuture<NioTransport> serverSide = new CompletableFuture<>();
        RecordingHandler serverHandler = new RecordingHandler();
        loopback.serve(transport -> {
            transport.suspendReading(); // before anything can be read
            serverSide.complete(transport);
            return serverHandler;
        });
        NioTransport client = loopback.connect();
        client.start(new RecordingHandler());
        byte[] data = random(FLOOD, 3);
        CompletableFuture<Throwable> flushed = writeAll(client, data);
        awaitStall(client);
        assertEquals(0, serverHandler.receivedBytes());
        assertTrue(client.queuedBytes() > 0);
        assertTrue(!flushed.isDone());

        serverSide.get().resumeReading();
        assertNull(await(flushed));
        serverHandler.awaitBytes(data.length, WAIT);
        assertArrayEquals(data, serverHandler.receivedData());
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void suspendingInsideOnDataStopsDeliveryRightAfterTheCall(boolean tls) throws Exception {
        Loopback loopback = newLoopback(tls);
        CompletableFuture<NioTransport> serverSide = new CompletableFuture<>();
        RecordingHandler serverHandler = new RecordingHandler() {
            @Override
            void afterData(byte[] bytes) {
                if (dataCalls.get() == 1) {
                    serverSide.join().suspendReading();
                }
            }
        };
        loopback.serve(Loopback.capture(serverSide, serverHandler));
        NioTransport client = loopback.connect();
        client.start(new RecordingHandler());
        byte[] data = random(4 << 20, 4);
        CompletableFuture<Throwable> flushed = writeAll(client, data);
        // The first delivery may take a while on a loaded machine (TLS handshake); then give a wrong
        // second delivery time to happen before checking that none did.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (serverHandler.dataCalls.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(300);
        assertEquals(1, serverHandler.dataCalls.get(), "onData calls after suspending");
        int first = serverHandler.receivedBytes();
        assertTrue(first > 0 && first < data.length, "first delivery " + first);

        serverSide.get().resumeReading();
        assertNull(await(flushed));
        serverHandler.awaitBytes(data.length, WAIT);
        assertArrayEquals(data, serverHandler.receivedData());
        assertEquals(java.util.Set.of("test-loop"), serverHandler.threads);
    }

    // ---------------------------------------------------------------------------------------- closing

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void closeDrainsTheQueueAndBothSidesCloseNormallyOnce(boolean tls) throws Exception {
        Loopback loopback = newLoopback(tls);
        CompletableFuture<NioTransport> serverSide = new CompletableFuture<>();
        RecordingHandler serverHandler = new RecordingHandler() {
            @Override
            public void onEndOfInput() {
                super.onEndOfInput();
                serverSide.join().close(); // as a WebSocket client does on the server's FIN
            }
        };
        loopback.serve(Loopback.capture(serverSide, serverHandler));
        NioTransport client = loopback.connect();
        RecordingHandler clientHandler = new RecordingHandler();
        client.start(clientHandler);
        byte[] data = random(8 << 20, 5);
        CompletableFuture<Throwable> flushed = writeAll(client, data);
        client.close();

        assertNull(await(flushed));
        assertNull(clientHandler.awaitClosedOnce(WAIT));
        assertNull(serverHandler.awaitClosedOnce(WAIT));
        assertTrue(serverHandler.endOfInput.isDone());
        assertArrayEquals(data, serverHandler.receivedData());
        assertEquals(0, client.queuedBytes());
    }

    @Test
    void bytesWrittenAfterCloseAreRefused() throws Exception {
        Loopback loopback = newLoopback(false);
        RecordingHandler serverHandler = new RecordingHandler();
        CompletableFuture<NioTransport> serverSide = new CompletableFuture<>();
        loopback.serve(Loopback.capture(serverSide, serverHandler));
        NioTransport client = loopback.connect();
        RecordingHandler clientHandler = new RecordingHandler();
        client.start(clientHandler);

        client.write(ByteBuffer.wrap("before".getBytes(StandardCharsets.US_ASCII)), null);
        CompletableFuture<Throwable> before = new CompletableFuture<>();
        client.flush(before::complete);
        client.close();
        CompletableFuture<Throwable> emptyFlush = new CompletableFuture<>();
        client.flush(emptyFlush::complete);
        client.write(ByteBuffer.wrap("after".getBytes(StandardCharsets.US_ASCII)), null);
        CompletableFuture<Throwable> after = new CompletableFuture<>();
        client.flush(after::complete);

        assertNull(await(before));
        assertNull(await(emptyFlush), "a flush after close covering no new bytes succeeds");
        assertInstanceOf(ClosedChannelException.class, await(after));
        assertTrue(!clientHandler.closed.isDone(), "the refusal does not wait for the close");
        serverHandler.endOfInput.get(10, TimeUnit.SECONDS);
        assertEquals("before", new String(serverHandler.receivedData(), StandardCharsets.US_ASCII));
        serverSide.get().close();
        assertNull(clientHandler.awaitClosedOnce(WAIT));

        CompletableFuture<Throwable> afterEnd = new CompletableFuture<>();
        client.flush(afterEnd::complete);
        assertInstanceOf(ClosedChannelException.class, await(afterEnd), "the refused bytes were never written");
    }

    @Test
    void closeGivesUpAfterItsTimeoutWhenThePeerDoesNotRead() throws Exception {
        SelectorLoop loop = newLoopback(false).loop;
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            NioTransport transport = NioTransport.connect(loop, loopback(peer.getLocalPort()), WAIT)
                    .get(10, TimeUnit.SECONDS);
            RecordingHandler handler = new RecordingHandler();
            transport.start(handler);
            try (Socket socket = peer.accept()) {
                socket.setReceiveBufferSize(64 * 1024); // and never reads
                transport.setCloseTimeout(Duration.ofMillis(300));
                CompletableFuture<Throwable> flushed = writeAll(transport, random(FLOOD, 6));
                awaitStall(transport);
                long started = System.nanoTime();
                transport.close();
                Throwable failure = handler.awaitClosedOnce(WAIT);
                assertInstanceOf(SocketTimeoutException.class, failure);
                assertTrue(failure.getMessage().contains("close timed out"), failure.getMessage());
                assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
                assertTrue(await(flushed) instanceof SocketTimeoutException);
                assertEquals(0, transport.queuedBytes());
            }
        }
    }

    @Test
    void closeWaitsForThePeersEndDiscardingWhatItSends() throws Exception {
        SelectorLoop loop = newLoopback(false).loop;
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            NioTransport transport = NioTransport.connect(loop, loopback(peer.getLocalPort()), WAIT)
                    .get(10, TimeUnit.SECONDS);
            RecordingHandler handler = new RecordingHandler();
            transport.start(handler);
            try (Socket socket = peer.accept()) {
                transport.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), null);
                transport.close();
                InputStream in = socket.getInputStream();
                assertEquals(1, in.read());
                assertEquals(2, in.read());
                assertEquals(3, in.read());
                assertEquals(-1, in.read(), "FIN after the queued bytes");
                // Our side waits for the peer's end of stream, discarding what comes meanwhile.
                socket.getOutputStream().write("ignored".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(100);
                assertTrue(!handler.closed.isDone());
                assertEquals(0, handler.dataCalls.get());
                socket.shutdownOutput();
                assertNull(handler.awaitClosedOnce(WAIT));
            }
        }
    }

    @Test
    void endOfInputFromThePeerLeavesOutputOpen() throws Exception {
        SelectorLoop loop = newLoopback(false).loop;
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            NioTransport transport = NioTransport.connect(loop, loopback(peer.getLocalPort()), WAIT)
                    .get(10, TimeUnit.SECONDS);
            RecordingHandler handler = new RecordingHandler() {
                @Override
                public void onEndOfInput() {
                    super.onEndOfInput();
                    transport.write(ByteBuffer.wrap("bye".getBytes(StandardCharsets.US_ASCII)), null);
                    transport.close();
                }
            };
            transport.start(handler);
            try (Socket socket = peer.accept()) {
                socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                assertEquals("bye", new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                assertNull(handler.awaitClosedOnce(WAIT));
                assertEquals("hello", new String(handler.receivedData(), StandardCharsets.US_ASCII));
            }
        }
    }

    // ---------------------------------------------------------------------------------- abort, errors

    @Test
    void abortResetsAtOnceAndFailsPendingFlushes() throws Exception {
        Loopback loopback = newLoopback(false);
        CompletableFuture<NioTransport> serverSide = new CompletableFuture<>();
        RecordingHandler serverHandler = new RecordingHandler();
        loopback.serve(transport -> {
            transport.suspendReading();
            serverSide.complete(transport);
            return serverHandler;
        });
        NioTransport client = loopback.connect();
        RecordingHandler clientHandler = new RecordingHandler();
        client.start(clientHandler);
        CompletableFuture<Throwable> flushed = writeAll(client, random(FLOOD, 7));
        awaitStall(client);

        client.abort();
        Throwable flushFailure = await(flushed);
        assertInstanceOf(IOException.class, flushFailure);
        assertEquals("connection aborted", flushFailure.getMessage());
        assertNull(clientHandler.awaitClosedOnce(WAIT));
        assertEquals(0, client.queuedBytes());

        serverSide.get().resumeReading();
        Throwable serverFailure = serverHandler.awaitClosedOnce(WAIT);
        assertInstanceOf(IOException.class, serverFailure, "the peer sees a reset");
    }

    @Test
    void resetByThePeerFailsFlushesAndReportsTheFailureOnce() throws Exception {
        SelectorLoop loop = newLoopback(false).loop;
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            NioTransport transport = NioTransport.connect(loop, loopback(peer.getLocalPort()), WAIT)
                    .get(10, TimeUnit.SECONDS);
            RecordingHandler handler = new RecordingHandler();
            transport.start(handler);
            Socket socket = peer.accept();
            CompletableFuture<Throwable> flushed = writeAll(transport, random(FLOOD, 8));
            awaitStall(transport);
            socket.setSoLinger(true, 0);
            socket.close();

            Throwable failure = handler.awaitClosedOnce(WAIT);
            assertInstanceOf(IOException.class, failure);
            assertTrue(await(flushed) instanceof IOException);
            assertEquals(0, transport.queuedBytes());
        }
    }

    @Test
    void aHandlerThatThrowsClosesItsConnection() throws Exception {
        Loopback loopback = newLoopback(false);
        AssertionErrorHandler serverHandler = new AssertionErrorHandler();
        loopback.serve(transport -> serverHandler);
        NioTransport client = loopback.connect();
        RecordingHandler clientHandler = new RecordingHandler();
        client.start(clientHandler);
        client.write(ByteBuffer.wrap(new byte[] {42}), null);
        client.flush(failure -> { });
        Throwable failure = serverHandler.awaitClosedOnce(WAIT);
        assertInstanceOf(IllegalStateException.class, failure);
        assertInstanceOf(IOException.class, clientHandler.awaitClosedOnce(WAIT));
    }

    private static final class AssertionErrorHandler extends RecordingHandler {
        @Override
        void afterData(byte[] bytes) {
            throw new IllegalStateException("handler bug");
        }
    }

    @Test
    void startingAfterTheConnectionClosedReportsTheCloseOnce() throws Exception {
        Loopback loopback = newLoopback(false);
        loopback.serve(transport -> new RecordingHandler());
        NioTransport client = loopback.connect();
        client.abort();
        Thread.sleep(100);
        RecordingHandler handler = new RecordingHandler();
        client.start(handler);
        assertNull(handler.awaitClosedOnce(WAIT));
    }

    @Test
    void stoppingTheLoopClosesItsConnections() throws Exception {
        Loopback loopback = newLoopback(false);
        CompletableFuture<NioTransport> serverSide = new CompletableFuture<>();
        RecordingHandler serverHandler = new RecordingHandler();
        loopback.serve(transport -> {
            transport.suspendReading();
            serverSide.complete(transport);
            return serverHandler;
        });
        NioTransport client = loopback.connect();
        RecordingHandler clientHandler = new RecordingHandler();
        client.start(clientHandler);
        CompletableFuture<Throwable> flushed = writeAll(client, random(FLOOD, 9));
        awaitStall(client);

        loopback.loop.stop();
        assertTrue(await(flushed) instanceof IOException);
        assertTrue(clientHandler.awaitClosedOnce(WAIT).getMessage().contains("stopped"));
        assertTrue(serverHandler.awaitClosedOnce(WAIT).getMessage().contains("stopped"));

        // With the loop gone, a flush fails at once on the calling thread.
        client.write(ByteBuffer.wrap(new byte[1]), null);
        List<String> threads = new CopyOnWriteArrayList<>();
        CompletableFuture<Throwable> late = new CompletableFuture<>();
        client.flush(failure -> {
            threads.add(Thread.currentThread().getName());
            late.complete(failure);
        });
        assertTrue(late.isDone());
        assertInstanceOf(IOException.class, late.get());
        assertEquals(List.of(Thread.currentThread().getName()), threads);
    }

    // ------------------------------------------------------------------------------------- threading

    @Test
    void concurrentWritersKeepEachWriteWholeAndInOrder() throws Exception {
        Loopback loopback = newLoopback(false);
        RecordingHandler serverHandler = new RecordingHandler();
        loopback.serve(transport -> serverHandler);
        NioTransport client = loopback.connect();
        client.start(new RecordingHandler());

        int writers = 4;
        int frames = 20_000;
        int frameSize = 32;
        List<CompletableFuture<Throwable>> flushes = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                for (int seq = 0; seq < frames; seq++) {
                    ByteBuffer header = ByteBuffer.allocate(8).putInt(writer).putInt(seq).flip();
                    byte[] payload = new byte[frameSize - 8];
                    java.util.Arrays.fill(payload, (byte) writer);
                    client.write(header, ByteBuffer.wrap(payload));
                    if (seq % 100 == 99) {
                        CompletableFuture<Throwable> flushed = new CompletableFuture<>();
                        client.flush(flushed::complete);
                        flushes.add(flushed);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (CompletableFuture<Throwable> flushed : flushes) {
            assertNull(await(flushed));
        }
        serverHandler.awaitBytes((long) writers * frames * frameSize, WAIT);
        ByteBuffer all = ByteBuffer.wrap(serverHandler.receivedData());
        int[] next = new int[writers];
        while (all.hasRemaining()) {
            int writer = all.getInt();
            assertEquals(next[writer]++, all.getInt(), "sequence of writer " + writer);
            for (int i = 0; i < frameSize - 8; i++) {
                assertEquals(writer, all.get());
            }
        }
        for (int w = 0; w < writers; w++) {
            assertEquals(frames, next[w]);
        }
    }

    @Test
    void completionsRunOnTheLoopThreadAndNeverInsideTheCallThatAskedForThem() throws Exception {
        Loopback loopback = newLoopback(false);
        CompletableFuture<NioTransport> serverSide = new CompletableFuture<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        loopback.serve(Loopback.capture(serverSide, new RecordingHandler() {
            @Override
            void afterData(byte[] bytes) {
                // On the loop thread, inside onData: the completion must wait until this call is over.
                boolean[] returned = new boolean[1];
                NioTransport transport = serverSide.join();
                transport.write(ByteBuffer.wrap(bytes), null);
                transport.flush(failure -> {
                    seen.add(Thread.currentThread().getName() + (returned[0] ? "" : " (inline)"));
                    done.countDown();
                });
                returned[0] = true;
            }
        }));
        NioTransport client = loopback.connect();
        RecordingHandler clientHandler = new RecordingHandler();
        client.start(clientHandler);
        client.write(ByteBuffer.wrap(new byte[] {7}), null);
        client.flush(failure -> {
            seen.add(Thread.currentThread().getName());
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("test-loop", "test-loop"), seen);
        clientHandler.awaitBytes(1, WAIT);
        assertNotNull(client.localAddress());
        assertEquals(loopback(0).getAddress(), ((InetSocketAddress) client.remoteAddress()).getAddress());
        assertTrue(!client.isSecure());
    }

    @Test
    void aHandlerCanHandTheConnectionToAnother() throws Exception {
        Loopback loopback = newLoopback(false);
        CompletableFuture<NioTransport> serverSide = new CompletableFuture<>();
        RecordingHandler session = new RecordingHandler();
        RecordingHandler handshake = new RecordingHandler() {
            @Override
            void afterData(byte[] bytes) {
                serverSide.join().setHandler(session);
            }
        };
        loopback.serve(Loopback.capture(serverSide, handshake));
        NioTransport client = loopback.connect();
        client.start(new RecordingHandler());
        client.write(ByteBuffer.wrap(new byte[] {1}), null);
        client.flush(failure -> { });
        handshake.awaitBytes(1, WAIT);
        assertThrows(IllegalStateException.class, () -> serverSide.get().setHandler(session), "off the loop");
        client.write(ByteBuffer.wrap(new byte[] {2, 3}), null);
        client.close();
        session.awaitBytes(2, WAIT);
        assertArrayEquals(new byte[] {2, 3}, session.receivedData());
        assertArrayEquals(new byte[] {1}, handshake.receivedData());
        session.endOfInput.get(10, TimeUnit.SECONDS);
        serverSide.get().close();
        assertNull(session.awaitClosedOnce(WAIT));
        assertEquals(0, handshake.closedCalls.get());
    }

    @Test
    void bytesFromThePeerArriveInOrderAcrossManyReads() throws Exception {
        SelectorLoop loop = newLoopback(false).loop;
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            NioTransport transport = NioTransport.connect(loop, loopback(peer.getLocalPort()), WAIT)
                    .get(10, TimeUnit.SECONDS);
            RecordingHandler handler = new RecordingHandler();
            transport.start(handler);
            byte[] data = random(16 << 20, 10);
            try (Socket socket = peer.accept(); OutputStream out = socket.getOutputStream()) {
                out.write(data);
                socket.shutdownOutput();
                handler.endOfInput.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertArrayEquals(data, handler.receivedData());
                assertTrue(handler.dataCalls.get() >= data.length / SelectorLoop.READ_BUFFER_SIZE);
            }
            transport.close();
            assertNull(handler.awaitClosedOnce(WAIT));
        }
    }
}
