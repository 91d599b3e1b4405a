package io.breakwater.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what a transport reports, for assertions from the test thread. */
class RecordingHandler implements TransportHandler {

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final AtomicInteger dataCalls = new AtomicInteger();
    final AtomicInteger closedCalls = new AtomicInteger();
    final CompletableFuture<Void> endOfInput = new CompletableFuture<>();
    /** Completes with the failure onClosed got (null for a normal close). */
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();

    @Override
    public void onData(ByteBuffer data) {
        threads.add(Thread.currentThread().getName());
        dataCalls.incrementAndGet();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        synchronized (received) {
            received.write(bytes, 0, bytes.length);
        }
        afterData(bytes);
    }

    /** For subclasses: called after the bytes were recorded. */
    void afterData(byte[] bytes) {
    }

    @Override
    public void onEndOfInput() {
        threads.add(Thread.currentThread().getName());
        endOfInput.complete(null);
    }

    @Override
    public void onClosed(Throwable failure) {
        threads.add(Thread.currentThread().getName());
        closedCalls.incrementAndGet();
        closed.complete(failure);
    }

    int receivedBytes() {
        synchronized (received) {
            return received.size();
        }
    }

    byte[] receivedData() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    void awaitBytes(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (receivedBytes() < count) {
            if (System.nanoTime() - deadline > 0) {
                fail("received " + receivedBytes() + " of " + count + " bytes within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    /** Waits for onClosed, then a little more, and checks it came exactly once. */
    Throwable awaitClosedOnce(Duration timeout) throws Exception {
        Throwable failure = closed.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        Thread.sleep(50);
        assertEquals(1, closedCalls.get(), "onClosed calls");
        return failure;
    }
}
