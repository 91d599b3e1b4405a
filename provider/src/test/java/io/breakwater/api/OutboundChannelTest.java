package io.breakwater.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.api.OutboundChannel.Kind;
import io.breakwater.protocol.CloseStatus;
import io.breakwater.protocol.Connection;
import io.breakwater.protocol.ConnectionListener;
import io.breakwater.protocol.MaskKeySource;
import io.breakwater.protocol.MessageFramer;
import io.breakwater.transport.Transport;
import java.io.InterruptedIOException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboundChannelTest {

    private static final long TIMEOUT_MILLIS = 10_000;

    private final MemoryTransport transport = new MemoryTransport();
    private final FrameQueue frames = new FrameQueue(transport);
    private final OutboundChannel channel = new OutboundChannel(MessageFramer.server(null), MessageFramer.server(null),
            frames, transport, 1 << 20);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void concurrentSendersKeepTheirOrderAndNeverInterleave() throws Exception {
        int senders = 4;
        int messages = 10_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int sender = 0; sender < senders; sender++) {
            int id = sender;
            running.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < messages; i++) {
                    if (i % 10 == 0) {
                        // Every tenth message in three parts: other senders must not get in between.
                        channel.sendBlocking(Kind.TEXT, utf8(id + ":" + i + ":a"), false, false, TIMEOUT_MILLIS);
                        channel.sendBlocking(Kind.TEXT, utf8(":b"), false, true, TIMEOUT_MILLIS);
                        channel.sendBlocking(Kind.TEXT, utf8(":c"), true, true, TIMEOUT_MILLIS);
                    } else if (i % 3 == 0) {
                        CompletableFuture<Throwable> done = new CompletableFuture<>();
                        channel.sendAsync(Kind.TEXT, utf8(id + ":" + i), done::complete);
                        assertNull(done.get(10, TimeUnit.SECONDS));
                    } else {
                        channel.sendBlocking(Kind.TEXT, utf8(id + ":" + i), true, false, TIMEOUT_MILLIS);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> sender : running) {
            sender.get(60, TimeUnit.SECONDS);
        }

        List<String> received = receivedTexts();
        assertEquals(senders * messages, received.size());
        Map<String, Integer> next = new HashMap<>();
        for (String message : received) {
            String[] fields = message.split(":");
            int expected = next.getOrDefault(fields[0], 0);
            assertEquals(expected, Integer.parseInt(fields[1]), "sender " + fields[0] + " out of order");
            next.put(fields[0], expected + 1);
            assertEquals(expected % 10 == 0 ? fields[0] + ":" + expected + ":a:b:c" : fields[0] + ":" + expected,
                    message);
        }
    }

    @Test
    void aWholeMessageWaitsForAnUnfinishedOneFromAnotherThread() throws Exception {
        channel.sendBlocking(Kind.BINARY, bytes(1, 2), false, false, TIMEOUT_MILLIS);
        CompletableFuture<Throwable> whole = new CompletableFuture<>();
        threads.submit(() -> channel.sendAsync(Kind.TEXT, utf8("after"), whole::complete)).get();
        assertTrue(!whole.isDone(), "the whole message must wait for the binary message to end");

        channel.sendBlocking(Kind.BINARY, bytes(3), true, true, TIMEOUT_MILLIS);
        assertNull(whole.get(5, TimeUnit.SECONDS));
        Recorder recorder = receive();
        assertEquals(List.of("binary:010203", "text:after"), recorder.messages);
    }

    @Test
    void theThreadHoldingAnUnfinishedMessageCannotStartAnother() throws Exception {
        channel.sendBlocking(Kind.TEXT, utf8("part"), false, false, TIMEOUT_MILLIS);
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> channel.sendBlocking(Kind.BINARY, bytes(1), true, false, TIMEOUT_MILLIS));
        assertTrue(error.getMessage().contains("in parts"), error.getMessage());
        assertThrows(IllegalStateException.class,
                () -> channel.sendBlocking(Kind.BINARY, bytes(1), true, true, TIMEOUT_MILLIS),
                "a binary part cannot continue a text message");
    }

    @Test
    void pingsGoBetweenTheFragmentsOfAMessage() throws Exception {
        channel.sendBlocking(Kind.TEXT, utf8("one "), false, false, TIMEOUT_MILLIS);
        channel.sendControl(true, bytes(9));
        channel.sendBlocking(Kind.TEXT, utf8("two"), true, true, TIMEOUT_MILLIS);
        Recorder recorder = receive();
        assertEquals(List.of("ping:09", "text:one two"), recorder.messages);
    }

    @Test
    void asyncSendsRefusedForAFullQueueFailInTheirTurnAndTheQueuedOnesStillArrive() throws Exception {
        transport.stall();
        int sends = 20; // 2 MB against a 1 MiB limit
        List<Integer> toldInOrder = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Throwable>> results = new ArrayList<>();
        for (int i = 0; i < sends; i++) {
            int index = i;
            CompletableFuture<Throwable> done = new CompletableFuture<>();
            channel.sendAsync(Kind.BINARY, ByteBuffer.allocate(100_000), failure -> {
                toldInOrder.add(index);
                done.complete(failure);
            });
            results.add(done);
        }
        assertTrue(channel.queuedBytes() <= 1 << 20, "the queue stays within its bound: " + channel.queuedBytes());
        assertEquals(List.of(), toldInOrder, "a refusal waits for the sends before it, which wait for the peer");

        transport.release();
        int accepted = 0;
        while (accepted < sends && results.get(accepted).get(5, TimeUnit.SECONDS) == null) {
            accepted++;
        }
        assertTrue(accepted > 0 && accepted < sends, accepted + " of " + sends + " accepted");
        for (int i = accepted; i < sends; i++) {
            assertInstanceOf(SendQueueFullException.class, results.get(i).get(5, TimeUnit.SECONDS));
        }
        assertEquals(IntStream.range(0, sends).boxed().toList(), toldInOrder,
                "every sender is told in send order");
        assertEquals(accepted, receive().messages.size());
    }

    @Test
    void aFailureReportedInTurnWaitsForTheSendsBeforeIt() throws Exception {
        transport.stall();
        List<String> told = Collections.synchronizedList(new ArrayList<>());
        channel.sendAsync(Kind.TEXT, utf8("first"), failure -> told.add("first"));
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        channel.failInTurn(new IOException("the encoder threw"), failure -> {
            told.add("failed");
            failed.complete(failure);
        });
        assertEquals(List.of(), told, "the failure waits for the send before it");

        transport.release();
        assertEquals("the encoder threw", failed.get(5, TimeUnit.SECONDS).getMessage());
        assertEquals(List.of("first", "failed"), told);
        assertEquals(List.of("text:first"), receive().messages);
    }

    @Test
    void aBlockingSendWaitsForAFullQueueInsteadOfFailing() throws Exception {
        transport.stall();
        CompletableFuture<Throwable> filler = new CompletableFuture<>();
        channel.sendAsync(Kind.BINARY, ByteBuffer.allocate(1 << 20), filler::complete);
        Future<?> blocking = threads.submit(() -> {
            channel.sendBlocking(Kind.TEXT, utf8("patient"), true, false, TIMEOUT_MILLIS);
            return null;
        });
        Thread.sleep(200);
        assertTrue(!blocking.isDone(), "the blocking send waits while the peer does not read");
        transport.release();
        blocking.get(5, TimeUnit.SECONDS);
        assertNull(filler.get(5, TimeUnit.SECONDS));
        assertEquals(2, receive().messages.size());
    }

    @Test
    void aBlockingSendThatCannotCompleteTimesOutAndAbortsTheConnection() {
        transport.stall();
        SocketTimeoutException timeout = assertThrows(SocketTimeoutException.class,
                () -> channel.sendBlocking(Kind.TEXT, utf8("stuck"), true, false, 200));
        assertTrue(timeout.getMessage().contains("200 ms"), timeout.getMessage());
        assertTrue(transport.aborted());
    }

    @Test
    void closeGoesOutAfterTheMessagesQueuedBeforeItAndLaterSendsFail() throws Exception {
        channel.sendBlocking(Kind.TEXT, utf8("unfinished "), false, false, TIMEOUT_MILLIS);
        CompletableFuture<Throwable> queued = new CompletableFuture<>();
        threads.submit(() -> channel.sendAsync(Kind.TEXT, utf8("queued"), queued::complete)).get();
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        channel.close(() -> writeClose(new CloseStatus(1000, "bye"), closed::complete), closed::complete);
        assertTrue(!closed.isDone(), "the close waits for the message queued before it");

        channel.sendBlocking(Kind.TEXT, utf8("end"), true, true, TIMEOUT_MILLIS);
        assertNull(queued.get(5, TimeUnit.SECONDS));
        assertNull(closed.get(5, TimeUnit.SECONDS));
        assertThrows(IOException.class, () -> channel.sendBlocking(Kind.TEXT, utf8("late"), true, false, 1000));
        CompletableFuture<Throwable> late = new CompletableFuture<>();
        channel.sendAsync(Kind.TEXT, utf8("late"), late::complete);
        assertInstanceOf(IOException.class, late.get(5, TimeUnit.SECONDS));

        Recorder recorder = receive();
        assertEquals(List.of("text:unfinished end", "text:queued", "close:1000 bye"), recorder.messages);
    }

    @Test
    void aSendTimeoutOfZeroOrLessMeansNone() throws Exception {
        transport.stall();
        Future<?> zero = threads.submit(() -> {
            channel.sendBlocking(Kind.TEXT, utf8("zero"), true, false, 0);
            return null;
        });
        Future<?> negative = threads.submit(() -> {
            channel.sendBlocking(Kind.TEXT, utf8("negative"), true, false, -1);
            return null;
        });
        Thread.sleep(300); // would have failed at once (SocketTimeoutException) before
        assertTrue(!zero.isDone() && !negative.isDone(), "the sends wait for the peer");
        assertTrue(!transport.aborted());
        transport.release();
        zero.get(5, TimeUnit.SECONDS);
        negative.get(5, TimeUnit.SECONDS);
        assertEquals(2, receive().messages.size());
    }

    @Test
    void anInterruptedSendThatWasNotTakenIsWithdrawnAndNeverSent() throws Exception {
        channel.sendBlocking(Kind.TEXT, utf8("unfinished "), false, false, TIMEOUT_MILLIS);
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread sender = new Thread(() -> {
            waiting.countDown();
            try {
                channel.sendBlocking(Kind.TEXT, utf8("withdrawn"), true, false, TIMEOUT_MILLIS);
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        sender.start();
        waiting.await();
        awaitParked(sender); // waiting for the unfinished message to end
        sender.interrupt();
        assertInstanceOf(InterruptedIOException.class, outcome.get(5, TimeUnit.SECONDS));

        channel.sendBlocking(Kind.TEXT, utf8("end"), true, true, TIMEOUT_MILLIS);
        channel.sendBlocking(Kind.TEXT, utf8("next"), true, false, TIMEOUT_MILLIS);
        assertEquals(List.of("text:unfinished end", "text:next"), receive().messages,
                "the withdrawn message is not sent, and does not hold the channel");
        assertTrue(!transport.aborted());
    }

    @Test
    void anInterruptedFirstPartThatWasNotTakenLeavesTheChannelFree() throws Exception {
        channel.sendBlocking(Kind.TEXT, utf8("a "), false, false, TIMEOUT_MILLIS);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread sender = new Thread(() -> {
            try {
                channel.sendBlocking(Kind.BINARY, bytes(1), false, false, TIMEOUT_MILLIS);
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        sender.start();
        awaitParked(sender);
        sender.interrupt();
        assertInstanceOf(InterruptedIOException.class, outcome.get(5, TimeUnit.SECONDS));
        channel.sendBlocking(Kind.TEXT, utf8("b"), true, true, TIMEOUT_MILLIS);
        channel.sendBlocking(Kind.TEXT, utf8("whole"), true, false, 1_000); // would wait for the first part's message
        assertEquals(List.of("text:a b", "text:whole"), receive().messages);
    }

    @Test
    void anInterruptedSendAlreadyUnderWayAbortsTheConnection() throws Exception {
        transport.stall();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread sender = new Thread(() -> {
            try {
                channel.sendBlocking(Kind.TEXT, utf8("under way"), true, false, TIMEOUT_MILLIS);
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        sender.start();
        awaitParked(sender); // encoded and handed over: waiting for the write
        sender.interrupt();
        assertInstanceOf(InterruptedIOException.class, outcome.get(5, TimeUnit.SECONDS));
        assertTrue(transport.aborted(), "part of the message may be on the wire: the connection cannot go on");
    }

    @Test
    void dataIsRefusedOnceTheCloseFrameIsQueued() throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        writeClose(new CloseStatus(1001, ""), closed::complete);
        frames.flush();
        CompletableFuture<Throwable> late = new CompletableFuture<>();
        channel.sendAsync(Kind.TEXT, utf8("after the close"), late::complete);
        assertInstanceOf(IOException.class, late.get(5, TimeUnit.SECONDS));
        assertNull(closed.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("close:1001 "), receive().messages);
    }

    @Test
    void terminateFailsWaitingSends() throws Exception {
        channel.sendBlocking(Kind.TEXT, utf8("unfinished"), false, false, TIMEOUT_MILLIS);
        CompletableFuture<Throwable> waiting = new CompletableFuture<>();
        threads.submit(() -> channel.sendAsync(Kind.TEXT, utf8("waiting"), waiting::complete)).get();
        channel.terminate(new IOException("connection reset"));
        assertEquals("connection reset", waiting.get(5, TimeUnit.SECONDS).getMessage());
    }

    // ------------------------------------------------------------------------------------------------

    /** Waits until {@code thread} is parked (in the send's wait), or fails if it ended instead. */
    private static void awaitParked(Thread thread) throws InterruptedException {
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(thread.isAlive(), "the sender ended instead of waiting");
            Thread.sleep(1);
        }
    }

    /** What the session's close does: the engine writes the close frame into the frame queue. */
    private void writeClose(CloseStatus status, Transport.WriteCompletion written) {
        Connection engine = Connection.server(new Ignore(),
                (header, payload) -> frames.offerClose(new FrameQueue.Frame(header, payload), written), null);
        engine.close(status);
    }

    private List<String> receivedTexts() {
        List<String> texts = new ArrayList<>();
        for (String message : receive().messages) {
            assertTrue(message.startsWith("text:"), message);
            texts.add(message.substring(5));
        }
        return texts;
    }

    /** Reads what was written with a client engine, as the peer would. */
    private Recorder receive() {
        Recorder recorder = new Recorder();
        Connection client = Connection.client(recorder, (header, payload) -> { }, null, MaskKeySource.secure());
        client.receive(ByteBuffer.wrap(transport.writtenBytes()));
        return recorder;
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ByteBuffer bytes(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length);
        for (int value : values) {
            buffer.put((byte) value);
        }
        return buffer.flip();
    }

    private static final class Recorder implements ConnectionListener {
        final List<String> messages = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private final StringBuilder binary = new StringBuilder();

        @Override
        public void onText(ByteBuffer utf8, boolean last) {
            text.append(StandardCharsets.UTF_8.decode(utf8));
            if (last) {
                messages.add("text:" + text);
                text.setLength(0);
            }
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
            while (data.hasRemaining()) {
                binary.append(String.format("%02x", data.get()));
            }
            if (last) {
                messages.add("binary:" + binary);
                binary.setLength(0);
            }
        }

        @Override
        public void onPing(ByteBuffer payload) {
            StringBuilder hex = new StringBuilder();
            while (payload.hasRemaining()) {
                hex.append(String.format("%02x", payload.get()));
            }
            messages.add("ping:" + hex);
        }

        @Override
        public void onClose(CloseStatus status) {
            messages.add("close:" + status.code() + " " + status.reason());
        }
    }

    private static final class Ignore implements ConnectionListener {
        @Override
        public void onText(ByteBuffer utf8, boolean last) {
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
        }

        @Override
        public void onClose(CloseStatus status) {
        }
    }
}
