package io.breakwater.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteQueueTest {

    private final WriteQueue queue = new WriteQueue();
    private final List<WriteQueue.Flush> due = new ArrayList<>();
    private final ByteBuffer[] gather = new ByteBuffer[4];

    private static ByteBuffer bytes(int n) {
        return ByteBuffer.allocate(n);
    }

    private static Transport.WriteCompletion named(List<String> log, String name) {
        return failure -> log.add(name + (failure == null ? "" : ":" + failure.getClass().getSimpleName()));
    }

    private void complete() {
        for (WriteQueue.Flush flush : due) {
            flush.done.completed(flush.failure);
        }
        due.clear();
    }

    /** Consumes {@code n} bytes from the head as a write would. */
    private void write(long n) {
        int count = queue.gather(gather, due);
        long left = n;
        for (int i = 0; i < count && left > 0; i++) {
            int take = (int) Math.min(left, gather[i].remaining());
            gather[i].position(gather[i].position() + take);
            left -= take;
        }
        queue.consumed();
        queue.written(n, due);
        complete();
    }

    @Test
    void countsQueuedBytesExactlyAndCompletesFlushesInOrderAsBytesAreWritten() {
        List<String> log = new ArrayList<>();
        assertTrue(queue.add(bytes(2), bytes(8)), "the first write asks for an I/O pass");
        assertTrue(queue.flush(named(log, "a")) == false, "one pass is enough while one is scheduled");
        queue.add(bytes(5), null);
        queue.flush(named(log, "b"));
        assertEquals(15, queue.queuedBytes());

        write(9);
        assertEquals(List.of(), log);
        assertEquals(6, queue.queuedBytes());
        write(1);
        assertEquals(List.of("a"), log);
        write(5);
        assertEquals(List.of("a", "b"), log);
        assertEquals(0, queue.queuedBytes());

        assertEquals(0, queue.gather(gather, due), "empty: the pass ends");
        assertTrue(queue.flush(named(log, "c")), "and the next call asks for a new one");
        queue.gather(gather, due);
        complete();
        assertEquals(List.of("a", "b", "c"), log);
    }

    @Test
    void emptyBuffersAreNotQueued() {
        assertFalse(queue.add(bytes(0), null));
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.gather(gather, due));
    }

    @Test
    void afterACloseRequestWritesAreRefusedAndTheFlushesCoveringThemFail() {
        List<String> log = new ArrayList<>();
        queue.add(bytes(4), null);
        queue.flush(named(log, "before"));
        queue.requestClose();
        queue.flush(named(log, "empty"));
        assertFalse(queue.add(bytes(3), null));
        queue.flush(named(log, "after"));
        assertEquals(4, queue.queuedBytes(), "refused bytes are not queued");

        queue.gather(gather, due);
        complete();
        assertEquals(List.of(), log, "the refusal waits for the flushes before it");
        write(4);
        assertEquals(List.of("before", "empty", "after:ClosedChannelException"), log);
    }

    @Test
    void failureFailsEveryPendingFlushAndLaterOnes() {
        List<String> log = new ArrayList<>();
        queue.add(bytes(4), null);
        queue.flush(named(log, "done"));
        queue.add(bytes(4), null);
        queue.flush(named(log, "pending"));
        write(4);
        IOException cause = new IOException("reset");
        queue.fail(cause, due);
        assertSame(cause, due.get(0).failure);
        complete();
        assertEquals(List.of("done", "pending:IOException"), log);
        assertEquals(0, queue.queuedBytes());
        assertTrue(queue.isFailed());

        assertFalse(queue.add(bytes(1), null));
        queue.flush(named(log, "late"));
        queue.fail(new ClosedChannelException(), due);
        assertInstanceOf(IOException.class, due.get(0).failure);
        assertSame(cause, due.get(0).failure, "the first failure is kept");
        complete();
        queue.written(10, due);
        assertEquals(0, queue.queuedBytes(), "nothing is counted after a failure");
        assertNull(null);
    }
}
