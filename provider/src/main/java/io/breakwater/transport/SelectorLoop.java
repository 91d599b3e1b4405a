package io.breakwater.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread running a {@link Selector} for many connections ({@link NioTransport}s, {@link NioServer}s),
 * with a queue of tasks that other threads hand to it. Every socket operation, every
 * {@link TransportHandler} call and every {@link Transport.WriteCompletion} of its transports happens
 * on this thread, one at a time.
 *
 * <p>Because one thread serves every connection of the loop, whatever runs on it must be quick and
 * must never block: a handler that waits holds up all the other connections. Handlers hand anything
 * slow (application callbacks, decoding of large messages, blocking calls) to an executor of their own;
 * the session layer does this for application code, which never runs here.
 *
 * <p>The loop is started and stopped explicitly. Stopping it closes every channel still registered:
 * their handlers hear {@link TransportHandler#onClosed} with an {@link IOException}. The thread is a
 * daemon, so a forgotten loop does not keep the JVM alive, and it holds no class loader or thread
 * local of the thread that started it: a loop outlives the application that made its first
 * connection when several share it, and must not keep that application reachable.
 *
 * <p>Work that may block or take long, such as the delegated tasks of a TLS handshake and host name
 * resolution, runs on a separate executor: by default a cached pool of daemon threads owned by the loop.
 */
public final class SelectorLoop implements Executor, AutoCloseable {

    /** Size of the buffer every read of the loop's connections goes into. */
    public static final int READ_BUFFER_SIZE = 64 * 1024;

    /** How many buffers one gathering write takes at most. */
    static final int MAX_GATHER = 64;

    /** Tasks run per turn before the selector is polled again, so that a busy queue cannot starve the sockets. */
    private static final int MAX_TASKS_PER_TURN = 1024;

    private static final System.Logger LOG = System.getLogger(SelectorLoop.class.getName());
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int STOPPING = 2;
    private static final int TERMINATED = 3;

    private final String name;
    private final Executor blockingExecutor;
    private final ExecutorService ownedExecutor;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger state = new AtomicInteger(NEW);

    // Loop thread only.
    private final PriorityQueue<Timeout> timeouts = new PriorityQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_SIZE);
    private final ByteBuffer[] gatherArray = new ByteBuffer[MAX_GATHER];
    private long timeoutSequence;

    private volatile Selector selector;
    private volatile Thread thread;

    /** A loop whose thread is named {@code breakwater-selector-N}. */
    public SelectorLoop() {
        this("breakwater-selector-" + COUNTER.incrementAndGet());
    }

    /** A loop whose thread is named {@code name}, with its own executor for blocking work. */
    public SelectorLoop(String name) {
        this(name, null);
    }

    /**
     * @param name             the name of the loop's thread
     * @param blockingExecutor where TLS delegated tasks and host name resolution run; {@code null} for a
     *                         cached pool of daemon threads that the loop creates and shuts down
     */
    public SelectorLoop(String name, Executor blockingExecutor) {
        this.name = Objects.requireNonNull(name, "name");
        if (blockingExecutor == null) {
            ownedExecutor = Executors.newCachedThreadPool(daemonThreads(name + "-tasks-"));
            this.blockingExecutor = ownedExecutor;
        } else {
            ownedExecutor = null;
            this.blockingExecutor = blockingExecutor;
        }
    }

    /** The name of the loop's thread. */
    public String name() {
        return name;
    }

    /**
     * Opens the selector and starts the thread.
     *
     * @throws IllegalStateException if the loop was started before
     * @throws UncheckedIOException  if no selector can be opened
     */
    public void start() {
        if (state.get() != NEW) {
            throw new IllegalStateException("selector loop " + name + " was already started");
        }
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        if (!state.compareAndSet(NEW, RUNNING)) {
            closeQuietly(selector);
            throw new IllegalStateException("selector loop " + name + " was already started");
        }
        Thread t = daemon(this::run, name);
        thread = t;
        t.start();
    }

    /** Whether the loop was started and is not stopping. */
    public boolean isRunning() {
        return state.get() == RUNNING;
    }

    /** Whether the calling thread is the loop's. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Stops the loop: closes every registered channel (their handlers are told), runs the tasks already
     * queued, and ends the thread. Waits up to ten seconds for that unless called on the loop's thread.
     * Does nothing if the loop is already stopped.
     */
    public void stop() {
        if (state.compareAndSet(NEW, TERMINATED)) {
            shutdownExecutor();
            return;
        }
        if (state.compareAndSet(RUNNING, STOPPING)) {
            selector.wakeup();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Runs {@code task} on the loop's thread, after the events being handled now. Never runs it inline,
     * not even when called on the loop's thread. The task must be quick (see the class comment).
     *
     * @throws RejectedExecutionException if the loop is not running
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state.get() != RUNNING && !(state.get() == STOPPING && inLoop())) {
            throw new RejectedExecutionException("selector loop " + name + " is not running");
        }
        tasks.add(task);
        // The loop drains the queue one last time after it marks itself terminated; a task that arrives
        // later is taken back here, so each task either runs or is rejected.
        if (state.get() == TERMINATED && tasks.remove(task)) {
            throw new RejectedExecutionException("selector loop " + name + " is not running");
        }
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    /** Where blocking work goes: TLS delegated tasks, host name resolution. */
    Executor blockingExecutor() {
        return blockingExecutor;
    }

    /** The loop's read buffer, shared by its connections: handlers may use its contents only during the call. */
    ByteBuffer readBuffer() {
        assert inLoop();
        return readBuffer;
    }

    /** An array for gathering writes; the caller clears what it put in before it returns. */
    ByteBuffer[] gatherArray() {
        assert inLoop();
        return gatherArray;
    }

    /**
     * How many channels are registered with the loop: connections, listening sockets, connection
     * attempts. A channel closed during the current turn may still count until the next. On the loop's
     * thread only, for an owner that stops a loop nobody uses.
     */
    public int channelCount() {
        if (!inLoop()) {
            throw new IllegalStateException("the channels are counted on the loop's thread");
        }
        return selector.keys().size();
    }

    /**
     * Registers {@code channel}, which must be non-blocking, with {@code handler} as the key's attachment.
     * On the loop's thread only.
     */
    SelectionKey register(SelectableChannel channel, int ops, SelectorHandler handler) throws ClosedChannelException {
        if (!inLoop()) {
            throw new IllegalStateException("channels are registered on the loop's thread");
        }
        return channel.register(selector, ops, handler);
    }

    /**
     * Runs {@code task} on the loop's thread after {@code delay}, unless cancelled first. Thread-safe; if the
     * loop is not running, the task never runs. The task must be quick (see the class comment).
     */
    public Timeout schedule(Duration delay, Runnable task) {
        Timeout timeout = new Timeout(System.nanoTime() + delay.toNanos(), task);
        if (inLoop()) {
            timeout.sequence = timeoutSequence++;
            timeouts.add(timeout);
        } else {
            try {
                execute(() -> {
                    timeout.sequence = timeoutSequence++;
                    timeouts.add(timeout);
                });
            } catch (RejectedExecutionException e) {
                timeout.cancel();
            }
        }
        return timeout;
    }

    /** A task to run at a deadline; {@link #cancel()} may be called from any thread. */
    public static final class Timeout implements Comparable<Timeout> {
        private final long deadline;
        private final Runnable task;
        private long sequence;
        private volatile boolean cancelled;

        private Timeout(long deadline, Runnable task) {
            this.deadline = deadline;
            this.task = task;
        }

        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timeout other) {
            int byDeadline = Long.compare(deadline - other.deadline, 0);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }

    // ------------------------------------------------------------------------------------- the thread

    private void run() {
        try {
            while (state.get() == RUNNING) {
                if (!tasks.isEmpty()) {
                    selector.selectNow(this::dispatch);
                } else {
                    // select(action, 0) blocks until an event or a wakeup.
                    selector.select(this::dispatch, millisToNextTimeout());
                }
                runTasks(MAX_TASKS_PER_TURN);
                runDueTimeouts();
            }
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "selector loop " + name + " failed", t);
            if (t instanceof VirtualMachineError) {
                throw (VirtualMachineError) t;
            }
        } finally {
            shutdown();
        }
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        try {
            ((SelectorHandler) key.attachment()).ready(key);
        } catch (RuntimeException e) {
            // Handlers deal with their own failures; this only keeps the loop alive if one does not.
            LOG.log(Level.WARNING, "unexpected failure handling a channel on " + name, e);
        }
    }

    private void runTasks(int max) {
        Runnable task;
        for (int i = 0; i < max && (task = tasks.poll()) != null; i++) {
            runSafely(task);
        }
    }

    private void runDueTimeouts() {
        long now = System.nanoTime();
        Timeout next;
        while ((next = timeouts.peek()) != null && (next.cancelled || next.deadline - now <= 0)) {
            timeouts.poll();
            if (!next.cancelled) {
                runSafely(next.task);
            }
        }
    }

    /** 0 (no limit) when no timeout is pending, else at least 1, rounding up so as not to wake too early. */
    private long millisToNextTimeout() {
        Timeout next;
        while ((next = timeouts.peek()) != null && next.cancelled) {
            timeouts.poll();
        }
        if (next == null) {
            return 0;
        }
        long nanos = next.deadline - System.nanoTime();
        return nanos <= 0 ? 1 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.log(Level.WARNING, "task failed on selector loop " + name, e);
        }
    }

    private void shutdown() {
        state.set(STOPPING);
        IOException cause = new IOException("selector loop " + name + " stopped");
        List<SelectionKey> keys;
        try {
            keys = new ArrayList<>(selector.keys());
        } catch (RuntimeException e) {
            keys = List.of();
        }
        for (SelectionKey key : keys) {
            try {
                ((SelectorHandler) key.attachment()).loopStopped(cause);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "failure closing a channel on " + name, e);
            }
        }
        runTasks(Integer.MAX_VALUE);
        state.set(TERMINATED);
        runTasks(Integer.MAX_VALUE);
        timeouts.clear();
        closeQuietly(selector);
        shutdownExecutor();
    }

    private void shutdownExecutor() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    private static void closeQuietly(Selector selector) {
        try {
            selector.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> daemon(runnable, prefix + count.incrementAndGet());
    }

    /** A daemon with Breakwater's class loader and no inherited thread locals: see the class comment. */
    private static Thread daemon(Runnable runnable, String name) {
        Thread t = new Thread(null, runnable, name, 0, false);
        t.setDaemon(true);
        t.setContextClassLoader(SelectorLoop.class.getClassLoader());
        return t;
    }

    @Override
    public String toString() {
        return "SelectorLoop[" + name + "]";
    }
}
