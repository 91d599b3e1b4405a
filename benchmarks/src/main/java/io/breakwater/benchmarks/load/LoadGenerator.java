package io.breakwater.benchmarks.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives echo traffic over {@link Connections} from one selector thread, spending as little as it can so
 * that the server's side of the machine is what gets measured: frames were built and masked once
 * ({@link ClientMessages}) and go out as gathering writes of views of them; echoes are counted from frame
 * headers ({@link EchoFrameCounter}) in one shared read buffer, their payloads never copied.
 *
 * <ul>
 *   <li>Closed loop: each connection keeps {@code inFlight} messages outstanding, and sends one more for
 *       each echo. The server's throughput is the measure.
 *   <li>Open loop: messages are due at a fixed rate, round robin over the connections, whatever the
 *       echoes do; a {@link LatencyRecorder} gets each echo's time since its message was due.
 * </ul>
 *
 * Counters may be read from any thread while it runs.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final int READ_BUFFER_BYTES = 256 * 1024;
    /** Frames handed to one gathering write in open loop, where a lane owes few at a time. */
    private static final int OPEN_LOOP_BATCH = 64;
    /** Sleep granularity of the open loop between due times: below the rate's interval, above the timer's. */
    private static final long OPEN_LOOP_NAP_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long CLOSED_LOOP_SELECT_MILLIS = 100;
    /**
     * Closed loop with many messages in flight: a pause after each pass over the ready connections lets
     * echoes pile up, so that one read and one gathering write serve many messages. Without it, a server
     * that writes every message on its own costs the generator a wake-up, a read and a write per message,
     * as much CPU as half the server's. The server meanwhile has thousands of messages still to echo.
     */
    private static final long CLOSED_LOOP_COALESCE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** Below this many messages in flight in all, the loop answers at once: pausing would idle the server. */
    private static final int COALESCE_MIN_IN_FLIGHT = 64;

    private final ClientMessages messages;
    private final Lane[] lanes;
    private final Selector selector;
    private final int inFlight;
    private final long intervalNanos;
    private final LatencyRecorder latencies;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final Thread thread;

    private volatile boolean running = true;
    private volatile long echoed;
    private volatile boolean compressedEchoSeen;
    private volatile Throwable failure;

    /** One connection's sending and counting state; touched by the generator's thread only. */
    private static final class Lane {
        final SocketChannel channel;
        final SelectionKey key;
        final EchoFrameCounter counter = new EchoFrameCounter();
        final ByteBuffer[] writing;
        int writeFrom;
        int writeTo;
        /** Messages due that are not yet in {@link #writing}. */
        int owed;
        int nextMessage;
        /** Open loop: when each outstanding message was due, oldest first (a ring). */
        long[] due = new long[16];
        int dueHead;
        int dueCount;

        Lane(SocketChannel channel, SelectionKey key, int batch, int firstMessage) {
            this.channel = channel;
            this.key = key;
            this.writing = new ByteBuffer[batch];
            this.nextMessage = firstMessage;
        }

        void pushDue(long nanos) {
            if (dueCount == due.length) {
                long[] grown = new long[due.length * 2];
                for (int i = 0; i < dueCount; i++) {
                    grown[i] = due[(dueHead + i) % due.length];
                }
                due = grown;
                dueHead = 0;
            }
            due[(dueHead + dueCount++) % due.length] = nanos;
        }

        long popDue() {
            long nanos = due[dueHead];
            dueHead = (dueHead + 1) % due.length;
            dueCount--;
            return nanos;
        }
    }

    private LoadGenerator(Connections connections, ClientMessages messages, int inFlight, long intervalNanos,
                          LatencyRecorder latencies) throws IOException {
        this.messages = messages;
        this.inFlight = inFlight;
        this.intervalNanos = intervalNanos;
        this.latencies = latencies;
        this.selector = Selector.open();
        List<Connections.Upgraded> upgraded = connections.upgraded();
        this.lanes = new Lane[upgraded.size()];
        int batch = intervalNanos > 0 ? OPEN_LOOP_BATCH : inFlight;
        for (int i = 0; i < lanes.length; i++) {
            SocketChannel channel = upgraded.get(i).channel();
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            lanes[i] = new Lane(channel, key, batch, i);
            key.attach(lanes[i]);
            // Echo frames that arrived with the handshake response are counted like any other.
            countEchoes(lanes[i], upgraded.get(i).response().leftover().duplicate(), System.nanoTime());
        }
        this.thread = new Thread(this::run, "load-generator");
        this.thread.setDaemon(true);
    }

    /** Keeps {@code inFlight} messages outstanding on every connection. */
    public static LoadGenerator closedLoop(Connections connections, ClientMessages messages, int inFlight)
            throws IOException {
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1");
        }
        LoadGenerator generator = new LoadGenerator(connections, messages, inFlight, 0, null);
        generator.thread.start();
        return generator;
    }

    /** Sends {@code messagesPerSecond} in all, round robin over the connections, recording round trips. */
    public static LoadGenerator openLoop(Connections connections, ClientMessages messages,
                                         double messagesPerSecond, LatencyRecorder latencies) throws IOException {
        long interval = Math.round(TimeUnit.SECONDS.toNanos(1) / messagesPerSecond);
        if (interval < 1) {
            throw new IllegalArgumentException("rate too high: " + messagesPerSecond);
        }
        LoadGenerator generator = new LoadGenerator(connections, messages, 0, interval, latencies);
        generator.thread.start();
        return generator;
    }

    /** Echoed messages so far. */
    public long echoed() {
        return echoed;
    }

    /** Whether the server compressed any echo (RSV1 set). */
    public boolean compressedEchoSeen() {
        return compressedEchoSeen;
    }

    /** Why the generator stopped early, or null while it runs (or stopped when told). */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            if (intervalNanos > 0) {
                runOpenLoop();
            } else {
                runClosedLoop();
            }
        } catch (ClosedSelectorException e) {
            // closed from another thread: the run is over
        } catch (Throwable e) {
            if (running) {
                failure = e;
            }
        }
    }

    private void runClosedLoop() throws IOException {
        for (Lane lane : lanes) {
            lane.owed = inFlight;
            flush(lane);
        }
        boolean coalesce = (long) inFlight * lanes.length >= COALESCE_MIN_IN_FLIGHT;
        while (running) {
            selector.select(CLOSED_LOOP_SELECT_MILLIS);
            handleSelected(System.nanoTime());
            if (coalesce) {
                LockSupport.parkNanos(CLOSED_LOOP_COALESCE_NANOS);
            }
        }
    }

    private void runOpenLoop() throws IOException {
        long start = System.nanoTime();
        long sent = 0;
        while (running) {
            long now = System.nanoTime();
            for (long dueAt = start + sent * intervalNanos; dueAt <= now; dueAt = start + sent * intervalNanos) {
                Lane lane = lanes[(int) (sent % lanes.length)];
                lane.pushDue(dueAt);
                lane.owed++;
                flush(lane);
                sent++;
            }
            int ready = selector.selectNow();
            if (ready > 0) {
                handleSelected(System.nanoTime());
            } else {
                long untilDue = start + sent * intervalNanos - System.nanoTime();
                if (untilDue > OPEN_LOOP_NAP_NANOS) {
                    LockSupport.parkNanos(Math.min(untilDue - OPEN_LOOP_NAP_NANOS, OPEN_LOOP_NAP_NANOS * 5));
                }
            }
        }
    }

    private void handleSelected(long now) throws IOException {
        for (SelectionKey key : selector.selectedKeys()) {
            Lane lane = (Lane) key.attachment();
            if (key.isReadable()) {
                read(lane, now);
            }
            if (key.isValid() && key.isWritable()) {
                flush(lane);
            }
        }
        selector.selectedKeys().clear();
    }

    private void read(Lane lane, long now) throws IOException {
        int read;
        do {
            readBuffer.clear();
            read = lane.channel.read(readBuffer);
            if (read > 0) {
                readBuffer.flip();
                int completed = countEchoes(lane, readBuffer, now);
                if (completed > 0 && intervalNanos == 0) {
                    lane.owed += completed;
                    flush(lane);
                }
            }
        } while (read == READ_BUFFER_BYTES);
        if (read < 0 || lane.counter.closeReceived()) {
            throw new IOException("the server closed a connection during the run");
        }
    }

    private int countEchoes(Lane lane, ByteBuffer bytes, long now) {
        int completed = lane.counter.consume(bytes);
        if (completed > 0) {
            echoed += completed;
            if (latencies != null) {
                for (int i = 0; i < completed && lane.dueCount > 0; i++) {
                    latencies.record(lane.popDue(), now);
                }
            }
        }
        if (!compressedEchoSeen && lane.counter.compressedSeen()) {
            compressedEchoSeen = true;
        }
        return completed;
    }

    /** Writes what the lane owes until done or the socket is full; then waits for writability. */
    private void flush(Lane lane) throws IOException {
        while (true) {
            if (lane.writeFrom == lane.writeTo) {
                if (lane.owed == 0) {
                    break;
                }
                int batch = Math.min(lane.owed, lane.writing.length);
                for (int i = 0; i < batch; i++) {
                    lane.writing[i] = messages.frame(lane.nextMessage++);
                }
                lane.writeFrom = 0;
                lane.writeTo = batch;
                lane.owed -= batch;
            }
            lane.channel.write(lane.writing, lane.writeFrom, lane.writeTo - lane.writeFrom);
            while (lane.writeFrom < lane.writeTo && !lane.writing[lane.writeFrom].hasRemaining()) {
                lane.writing[lane.writeFrom++] = null;
            }
            if (lane.writeFrom < lane.writeTo) {
                lane.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
        }
        if (lane.key.interestOps() != SelectionKey.OP_READ) {
            lane.key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** Stops the generator and waits for its thread; the connections stay open. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing is left to release
        }
    }
}
