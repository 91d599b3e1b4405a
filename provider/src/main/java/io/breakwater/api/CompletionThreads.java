package io.breakwater.api;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run send completions by default: one pool per JVM, of daemon threads that leave
 * after a few idle seconds, so that none is held while nothing is sent. Unbounded, because a completion
 * must never wait for a thread that a waiting callback holds (see {@link CallbackThreads#completions()});
 * completions are short by nature, and each session runs its own one at a time.
 */
public final class CompletionThreads {

    private static final long IDLE_SECONDS = 5;
    private static final Executor SHARED = create();

    private CompletionThreads() {
    }

    public static Executor shared() {
        return SHARED;
    }

    private static Executor create() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "breakwater-completion-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    // Not the loader of whichever application thread made it: sessions set their own per task.
                    thread.setContextClassLoader(CompletionThreads.class.getClassLoader());
                    return thread;
                });
        return pool;
    }
}
