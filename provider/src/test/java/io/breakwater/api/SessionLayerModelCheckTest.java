package io.breakwater.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.api.OutboundChannel.Kind;
import io.breakwater.protocol.MessageFramer;
import io.breakwater.transport.Transport;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * The session layer's shared parts under Lincheck's model checker, which runs each scenario over and
 * over and explores its threads' interleavings (a thread may be switched out at every shared-memory
 * access, lock and monitor). The threads are those of production: the reading thread, application
 * threads that send, and the transport's completions. Each scenario states what must hold in every
 * interleaving, as the application or the peer would see it.
 */
class SessionLayerModelCheckTest {

    /**
     * Schedules explored per scenario: enough that removing FrameQueue's one-flusher guard fails the
     * frame queue scenario, few enough that the five scenarios take under a minute in every build.
     */
    private static final int INVOCATIONS = 150;

    /**
     * {@link ReadingHolds}: two reasons taken and released on two threads, a third taken for good. The
     * transport is told only changes, one at a time, alternately, and what it was told last is what the
     * holds say once every thread is done: reading is never left suspended without a hold, nor running
     * with one.
     */
    private static void holdThenRelease(ReadingHolds holds, int reason) {
        holds.hold(reason);
        holds.release(reason);
    }

    @Test
    void readingHoldsTellTheTransportEveryChangeAndEndAsTheHoldsSay() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            ModelTransport transport = new ModelTransport();
            ReadingHolds holds = new ReadingHolds(transport);
            run(() -> holdThenRelease(holds, ReadingHolds.BACKLOG),
                    () -> holdThenRelease(holds, ReadingHolds.OUTPUT),
                    () -> holds.hold(ReadingHolds.UNTIL_OPEN));
            assertFalse(transport.overlapped, "two threads told the transport at once");
            assertFalse(transport.repeated, "the transport was told the same twice in a row");
            assertTrue(transport.suspended, "a hold is left, reading must be suspended");
        });
    }

    @Test
    void readingHoldsAllReleasedLeaveReadingRunning() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            ModelTransport transport = new ModelTransport();
            ReadingHolds holds = new ReadingHolds(transport);
            run(() -> holdThenRelease(holds, ReadingHolds.BACKLOG),
                    () -> holdThenRelease(holds, ReadingHolds.OUTPUT));
            assertFalse(transport.overlapped, "two threads told the transport at once");
            assertFalse(transport.repeated, "the transport was told the same twice in a row");
            assertFalse(transport.suspended, "no hold is left, reading must run");
        });
    }

    /**
     * {@link FrameQueue}: a sender's two frames, a pong from the reading thread and the close (frame,
     * then the transport's close) from a third, each flushing. The transport has one caller at a time;
     * the sender's frames are written in order, each once; nothing follows the Close frame (RFC 6455
     * §5.5.1) and the transport is closed only after it; every completion of an accepted message is
     * called once, after its bytes.
     */
    @Test
    void theFrameQueueWritesInOrderOnceWithNothingAfterTheClose() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            ModelTransport transport = new ModelTransport();
            FrameQueue frames = new FrameQueue(transport);
            AtomicInteger completions = new AtomicInteger();
            AtomicInteger accepted = new AtomicInteger();
            run(() -> {
                        for (String name : List.of("a0", "a1")) {
                            if (frames.offerData(List.of(frame(name)), failure -> completions.incrementAndGet())) {
                                accepted.incrementAndGet();
                            }
                            frames.flush();
                        }
                    },
                    () -> {
                        frames.offerControl(frame("pong"));
                        frames.flush();
                    },
                    () -> {
                        if (frames.offerClose(frame("close"), failure -> completions.incrementAndGet())) {
                            accepted.incrementAndGet();
                        }
                        frames.closeTransportWhenWritten();
                        frames.flush();
                    });
            assertFalse(transport.overlapped, "two threads used the transport at once");
            List<String> written = transport.written;
            assertEquals("close", written.get(written.size() - 1), "the last frame: " + written);
            assertEquals(1, written.stream().filter("close"::equals).count(), "close frames: " + written);
            assertTrue(transport.closedAfter == written.size(), "the transport closed before the Close frame");
            int a0 = written.indexOf("a0");
            int a1 = written.indexOf("a1");
            assertTrue(a1 < 0 || (a0 >= 0 && a0 < a1), "the sender's order: " + written);
            assertEquals(accepted.get(), written.stream().filter(name -> !name.equals("pong")).count(),
                    "accepted frames written once each: " + written);
            assertEquals(accepted.get(), completions.get(), "completions of accepted frames");
        });
    }

    /**
     * {@link OutboundChannel} over a real frame queue: two application threads send asynchronously, a
     * third closes. Each message comes out whole and in its sender's order or fails, never both, its
     * completion told once; a message that succeeded was written before the Close frame, and nothing
     * was written after it.
     */
    @Test
    void outboundMessagesKeepTheirOrderAndEndWrittenOrFailedOnceBeforeTheClose() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            ModelTransport transport = new ModelTransport();
            FrameQueue frames = new FrameQueue(transport);
            OutboundChannel channel = new OutboundChannel(MessageFramer.server(null), MessageFramer.server(null),
                    frames, transport, 1 << 20);
            List<AtomicReference<Object>> outcomes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                outcomes.add(new AtomicReference<>());
            }
            AtomicInteger repeatedOutcomes = new AtomicInteger();
            run(() -> {
                        send(channel, "a0", outcomes.get(0), repeatedOutcomes);
                        send(channel, "a1", outcomes.get(1), repeatedOutcomes);
                    },
                    () -> send(channel, "b0", outcomes.get(2), repeatedOutcomes),
                    () -> channel.close(() -> {
                        frames.offerClose(frame("close"), failure -> { });
                        frames.closeTransportWhenWritten();
                    }, failure -> { }));
            assertFalse(transport.overlapped, "two threads used the transport at once");
            assertEquals(0, repeatedOutcomes.get(), "a completion told twice");
            List<String> written = transport.written;
            assertEquals("close", written.get(written.size() - 1), "the last frame: " + written);
            List<String> names = List.of("a0", "a1", "b0");
            for (int i = 0; i < names.size(); i++) {
                Object outcome = outcomes.get(i).get();
                boolean succeeded = outcome == Boolean.TRUE;
                assertTrue(outcome != null, names.get(i) + ": never told");
                assertEquals(succeeded ? 1 : 0, written.stream().filter(names.get(i)::equals).count(),
                        names.get(i) + " (" + (succeeded ? "succeeded" : "failed") + ") in " + written);
            }
            int a0 = written.indexOf("a0");
            int a1 = written.indexOf("a1");
            assertTrue(a1 < 0 || (a0 >= 0 && a0 < a1), "the sender's order: " + written);
        });
    }

    /**
     * {@link SendOutcomes}: two asynchronous sends with a send timeout, both past it by the model's
     * clock. The timer fails the oldest undecided one while the transport's thread completes both, in
     * order. Whichever thread decides each outcome, the application hears the first send's outcome
     * before the second's, each once.
     */
    @Test
    void sendOutcomesAreToldInSendOrderWhenTheTimerRacesTheTransport() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            AtomicLong clock = new AtomicLong();
            List<String> told = Collections.synchronizedList(new ArrayList<>());
            // The timer runs nothing: the scenario's second thread is the timer task.
            SendOutcomes outcomes = new SendOutcomes((task, delayMillis) -> { }, () -> { }, clock::get);
            SendOutcomes.Send first = outcomes.start(1, failure -> told.add("first"));
            SendOutcomes.Send second = outcomes.start(1, failure -> told.add("second"));
            clock.set(TimeUnit.SECONDS.toNanos(1));
            run(() -> {
                        first.finish(null);
                        second.finish(null);
                    },
                    outcomes::check);
            assertEquals(List.of("first", "second"), told, "outcomes in send order, each once");
        });
    }

    private static void send(OutboundChannel channel, String text, AtomicReference<Object> outcome,
                             AtomicInteger repeated) {
        channel.sendAsync(Kind.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), failure -> {
            if (!outcome.compareAndSet(null, failure == null ? Boolean.TRUE : failure)) {
                repeated.incrementAndGet();
            }
        });
    }

    /** A frame whose payload names it; the header is empty, so the written bytes are the names. */
    private static FrameQueue.Frame frame(String name) {
        return new FrameQueue.Frame(ByteBuffer.allocate(0), ByteBuffer.wrap(name.getBytes(StandardCharsets.UTF_8)));
    }

    /** Starts the tasks on threads of their own and waits for all of them. */
    private static void run(Runnable... tasks) {
        List<Thread> threads = new ArrayList<>();
        for (Runnable task : tasks) {
            threads.add(new Thread(task));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A transport that records what it is given and completes every flush at once, on the caller's
     * thread (which the contract allows), noting any two threads inside it at once.
     */
    private static final class ModelTransport implements Transport {
        private final AtomicInteger inside = new AtomicInteger();
        volatile boolean overlapped;
        volatile boolean suspended;
        volatile boolean repeated;
        /**
         * The payloads written, in order, each as text: a server frame's payload is written unmasked
         * after its header (RFC 6455 §5.2), so a small message's payload is its text.
         */
        final List<String> written = new ArrayList<>();
        /** How many frames had been written when the transport was closed; -1 while open. */
        int closedAfter = -1;

        private void enter() {
            if (inside.incrementAndGet() > 1) {
                overlapped = true;
            }
        }

        private void leave() {
            inside.decrementAndGet();
        }

        @Override
        public void write(ByteBuffer header, ByteBuffer payload) {
            enter();
            written.add(StandardCharsets.UTF_8.decode(payload.duplicate()).toString());
            leave();
        }

        @Override
        public void flush(WriteCompletion done) {
            enter();
            leave();
            done.completed(null);
        }

        @Override
        public long queuedBytes() {
            return 0;
        }

        @Override
        public void suspendReading() {
            enter();
            repeated |= suspended;
            suspended = true;
            leave();
        }

        @Override
        public void resumeReading() {
            enter();
            repeated |= !suspended;
            suspended = false;
            leave();
        }

        @Override
        public void close() {
            enter();
            closedAfter = written.size();
            leave();
        }

        @Override
        public void abort() {
            close();
        }

        @Override
        public SocketAddress localAddress() {
            return new InetSocketAddress(1);
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress(2);
        }

        @Override
        public boolean isSecure() {
            return false;
        }
    }
}
