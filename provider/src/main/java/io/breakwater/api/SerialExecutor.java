package io.breakwater.api;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one session's callbacks one at a time, in the order they were submitted, on threads of a
 * shared executor: messages of a session are delivered in order by one thread at a time, and no
 * thread belongs to a session while it has nothing to run.
 */
final class SerialExecutor implements Executor {

    private final Executor threads;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialExecutor(Executor threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            threads.execute(this::runAll);
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
