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
 */
public final class SerialExecutor implements Executor {

    private final Executor threads;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public SerialExecutor(Executor threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                threads.execute(this::runAll);
            } catch (RejectedExecutionException stopped) {
                // The shared executor has stopped (an application being undeployed): the last tasks,
                // closing callbacks among them, run on the submitting thread rather than being lost.
                runAll();
            }
        }
    }

    private void runAll() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        } finally {
            scheduled.set(false);
            // A task submitted after the last poll and before the flag was cleared must still run.
            schedule();
        }
    }
}
