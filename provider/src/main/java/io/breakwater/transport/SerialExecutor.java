package io.breakwater.transport;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in the order they were submitted, on threads of a shared executor: a
 * session's callbacks, or a transport's completions, are delivered in order by one thread at a time,
 * and no thread belongs to a connection while it has nothing to run.
 *
 * <p>A thread that may run the tasks itself (a servlet container's thread that read the input which
 * produced them) {@linkplain #enqueue queues} them and then {@linkplain #runHere runs} them: a message
 * is then handled without a hand-off to another thread, the largest cost of a small message.
 */
public final class SerialExecutor implements Executor {

    private final Executor threads;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Whether a thread is running the tasks, or has been asked to. */
    private final AtomicBoolean running = new AtomicBoolean();

    public SerialExecutor(Executor threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        start();
    }

    /** Queues a task without starting it: the caller follows with {@link #runHere} or {@link #start}. */
    public void enqueue(Runnable task) {
        tasks.add(task);
    }

    /** Has a thread of the shared executor run the queued tasks, unless one is running them already. */
    public void start() {
        if (!tasks.isEmpty() && running.compareAndSet(false, true)) {
            try {
                threads.execute(this::runAll);
            } catch (RejectedExecutionException stopped) {
                // The shared executor has stopped (an application being undeployed): the last tasks,
                // closing callbacks among them, run on the submitting thread rather than being lost.
                runAll();
            }
        }
    }

    /**
     * Runs the queued tasks on the calling thread, unless another thread is running them: that one
     * then runs these too, after the tasks ahead of them.
     */
    public void runHere() {
        if (!tasks.isEmpty() && running.compareAndSet(false, true)) {
            runAll();
        }
    }

    private void runAll() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        } finally {
            running.set(false);
            // A task queued after the last poll and before the flag was cleared must still run.
            start();
        }
    }
}
