package io.breakwater.api;

import io.breakwater.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A transport that writes into memory, for unit tests of the session layer. It can be stalled like a
 * peer that stops reading: bytes then stay queued and flushes stay pending until it is released. Its
 * writes can also be held, to catch a writer in the middle of handing bytes over.
 */
final class MemoryTransport implements Transport {
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final List<ByteBuffer> queued = new ArrayList<>();
    private final List<WriteCompletion> pendingFlushes = new ArrayList<>();
    private boolean stalled;
    private boolean aborted;
    private boolean closed;
    private boolean readingSuspended;
    private int flushes;
    /** Open unless writes are held ({@link #holdWrites}); a write waits for it outside the monitor. */
    private volatile CountDownLatch writesReleased = new CountDownLatch(0);
    private volatile CountDownLatch writeHeld = new CountDownLatch(0);

    @Override
    public void write(ByteBuffer header, ByteBuffer payload) {
        writeHeld.countDown();
        try {
            writesReleased.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            queued.add(copy(header));
            queued.add(copy(payload));
            if (!stalled) {
                drainQueued();
            }
        }
    }

    /** Writes wait inside {@link #write} until {@link #releaseWrites}; the latch returned opens once one waits. */
    CountDownLatch holdWrites() {
        writeHeld = new CountDownLatch(1);
        writesReleased = new CountDownLatch(1);
        return writeHeld;
    }

    void releaseWrites() {
        writesReleased.countDown();
    }

    /** How many times {@link #flush} was called: each starts a write on a real transport. */
    synchronized int flushes() {
        return flushes;
    }

    @Override
    public void flush(WriteCompletion done) {
        synchronized (this) {
            flushes++;
            if (stalled) {
                pendingFlushes.add(done);
                return;
            }
        }
        done.completed(null);
    }

    @Override
    public synchronized long queuedBytes() {
        return queued.stream().mapToLong(ByteBuffer::remaining).sum();
    }

    @Override
    public synchronized void suspendReading() {
        readingSuspended = true;
    }

    @Override
    public synchronized void resumeReading() {
        readingSuspended = false;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    @Override
    public synchronized void abort() {
        aborted = true;
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

    synchronized void stall() {
        stalled = true;
    }

    /** The peer reads again: everything queued is written and the pending flushes complete, in order. */
    void release() {
        List<WriteCompletion> completions;
        synchronized (this) {
            stalled = false;
            drainQueued();
            completions = new ArrayList<>(pendingFlushes);
            pendingFlushes.clear();
        }
        completions.forEach(done -> done.completed(null));
    }

    synchronized byte[] writtenBytes() {
        return written.toByteArray();
    }

    synchronized boolean readingSuspended() {
        return readingSuspended;
    }

    synchronized boolean aborted() {
        return aborted;
    }

    private void drainQueued() {
        for (ByteBuffer buffer : queued) {
            written.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
        queued.clear();
    }

    private static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer.duplicate()).flip();
        return copy;
    }
}
