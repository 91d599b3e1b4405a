package io.breakwater.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
        MemoryTransport transport = new MemoryTransport();
        FrameQueue frames = new FrameQueue(transport);
        List<String> told = Collections.synchronizedList(new ArrayList<>());
        frames.offerData(List.of(frame("first")), failure -> told.add("first"));
        CountDownLatch writing = transport.holdWrites();
        Thread flusher = new Thread(frames::flush, "flusher");
        flusher.start();
        assertTrue(writing.await(5, TimeUnit.SECONDS), "the flusher never reached the transport");

        frames.offerData(List.of(frame("second")), failure -> told.add("second"));
        frames.offerCompletion(failure -> told.add("refused"));
        frames.fail(new IOException("connection reset")); // while "first" is being handed over
        transport.releaseWrites();
        flusher.join(5_000);

        assertEquals(List.of("first", "second", "refused"), told);
    }

    /**
     * The replies of one read, and sends made meanwhile, go to the transport in one flush (one write
     * on a socket, instead of one per message), and their senders are told after it, in order.
     */
    @Test
    void aBatchIsHandedOverWithOneFlushAndItsCompletionsAreToldInOrder() {
        MemoryTransport transport = new MemoryTransport();
        FrameQueue frames = new FrameQueue(transport);
        List<String> told = new ArrayList<>();
        frames.offerData(List.of(frame("reply")), FrameQueue.NOBODY_WAITS);
        frames.offerData(List.of(frame("a")), failure -> told.add("a"));
        frames.offerData(List.of(frame("b")), failure -> told.add("b"));
        frames.offerControl(frame("pong"));
        frames.flush();

        assertEquals(1, transport.flushes(), "flushes for one batch");
        assertEquals(List.of("a", "b"), told);
        assertEquals("replyabpong", new String(transport.writtenBytes()).replace("\0", ""));
    }

    @Test
    void completionsAfterAFailureReportItsCause() {
        FrameQueue frames = new FrameQueue(new MemoryTransport());
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
}
