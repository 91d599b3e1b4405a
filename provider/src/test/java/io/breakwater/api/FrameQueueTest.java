package io.breakwater.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FrameQueueTest {

    /**
     * The transport goes while a flusher is handing it a batch: the completions still queued behind that
     * batch must not be told before the batch's own, or SendHandlers would hear of later sends first.
     */
    @Test
    void completionsQueuedBehindABatchInFlightAreToldAfterItWhenTheTransportFails() throws Exception {
        HeldTransport transport = new HeldTransport();
        FrameQueue frames = new FrameQueue(transport);
        List<String> told = Collections.synchronizedList(new ArrayList<>());
        frames.offerData(List.of(frame("first")), failure -> told.add("first"));
        Thread flusher = new Thread(frames::flush, "flusher");
        flusher.start();
        assertTrue(transport.writing.await(5, TimeUnit.SECONDS), "the flusher never reached the transport");

        frames.offerData(List.of(frame("second")), failure -> told.add("second"));
        frames.offerCompletion(failure -> told.add("refused"));
        frames.fail(new IOException("connection reset")); // while "first" is being handed over
        transport.release.countDown();
        flusher.join(5_000);

        assertEquals(List.of("first", "second", "refused"), told);
    }

    @Test
    void completionsAfterAFailureReportItsCause() {
        HeldTransport transport = new HeldTransport();
        transport.release.countDown();
        FrameQueue frames = new FrameQueue(transport);
        List<Throwable> told = Collections.synchronizedList(new ArrayList<>());
        frames.offerData(List.of(frame("queued")), told::add);
        frames.fail(new IOException("connection reset"));

        assertEquals(1, told.size());
        assertEquals("connection reset", told.get(0).getMessage(), "told the queue's cause, whatever the transport says");
        assertTrue(!frames.offerData(List.of(frame("late")), told::add), "no data after a failure");
    }

    private static FrameQueue.Frame frame(String text) {
        return new FrameQueue.Frame(ByteBuffer.allocate(2), ByteBuffer.wrap(text.getBytes()));
    }

    /** Holds its first write until released; completes every flush at once, in order, on the caller's thread. */
    private static final class HeldTransport implements Transport {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void write(ByteBuffer header, ByteBuffer payload) {
            writing.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void flush(WriteCompletion done) {
            done.completed(null);
        }

        @Override
        public long queuedBytes() {
            return 0;
        }

        @Override
        public void suspendReading() {
        }

        @Override
        public void resumeReading() {
        }

        @Override
        public void close() {
        }

        @Override
        public void abort() {
        }

        @Override
        public SocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 2);
        }

        @Override
        public boolean isSecure() {
            return false;
        }
    }
}
