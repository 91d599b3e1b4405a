package io.breakwater.api;

import io.breakwater.transport.Transport;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * The threads that run a container's application code (endpoint methods, message handlers, send
 * handlers): a pool's, and threads that read a connection's input and may go on to run the callbacks
 * it produced ({@link Transport#mayRunApplicationCode()}), which spares a small message the hand-off to
 * another thread, the largest part of its cost.
 *
 * <p>A limit bounds how many callbacks run at once, whichever thread runs them: a reading thread runs
 * them only while fewer run, and leaves them to the pool otherwise. Application code that blocks then
 * holds at most that many of a servlet container's threads, and the container goes on serving
 * everything else.
 */
public final class CallbackThreads implements Executor {

    private final Executor pool;
    /** Callbacks that may start now; null when only the pool bounds them. */
    private final Semaphore vacancies;
    private final Executor completions;
    /** Whether a reading thread may run callbacks itself; see {@link #onlyOn}. */
    private final boolean readingThreadsMayRun;

    private CallbackThreads(Executor pool, Semaphore vacancies, Executor completions, boolean readingThreadsMayRun) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.vacancies = vacancies;
        this.completions = Objects.requireNonNull(completions, "completions");
        this.readingThreadsMayRun = readingThreadsMayRun;
    }

    /**
     * At most {@code limit} callbacks at once, all of them on {@code executor}, never on a reading thread:
     * for an executor of virtual threads, where a hand-off is cheap and application code that blocks
     * should hold no thread of the container at all.
     */
    public static CallbackThreads onlyOn(Executor executor, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        return new CallbackThreads(executor, new Semaphore(limit), CompletionThreads.shared(), false);
    }

    /** At most {@code limit} callbacks at once, on {@code pool} or on reading threads. */
    public static CallbackThreads limited(Executor pool, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        return new CallbackThreads(pool, new Semaphore(limit), CompletionThreads.shared(), true);
    }

    /** As many callbacks at once as {@code pool} runs, and reading threads besides. */
    public static CallbackThreads unlimited(Executor pool) {
        return new CallbackThreads(pool, null, CompletionThreads.shared(), true);
    }

    /**
     * Where send completions ({@code SendHandler}s) run: not within the limit, since a callback that
     * waits for its own send's completion would otherwise wait for itself. Each session runs its own in
     * order, one at a time, on {@link CompletionThreads#shared()}.
     */
    public Executor completions() {
        return completions;
    }

    /** Runs {@code task} on a pool thread, once fewer callbacks than the limit are running. */
    @Override
    public void execute(Runnable task) {
        if (vacancies == null) {
            pool.execute(task);
            return;
        }
        pool.execute(() -> {
            vacancies.acquireUninterruptibly();
            try {
                task.run();
            } finally {
                vacancies.release();
            }
        });
    }

    /**
     * Runs {@code task} on the calling thread if fewer callbacks than the limit are running.
     *
     * @return false, having run nothing, when the limit is reached: the caller hands the work to the pool
     */
    boolean tryRunHere(Runnable task) {
        if (!readingThreadsMayRun || vacancies != null && !vacancies.tryAcquire()) {
            return false;
        }
        try {
            task.run();
        } finally {
            if (vacancies != null) {
                vacancies.release();
            }
        }
        return true;
    }
}
