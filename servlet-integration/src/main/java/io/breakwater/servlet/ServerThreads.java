package io.breakwater.servlet;

import io.breakwater.api.CallbackThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads Breakwater uses in one web application, each pool bounded:
 *
 * <ul>
 *   <li>{@link #callbacks()} run application code (endpoint methods, message handlers, send handlers):
 *       at most the configured number at once, on these threads or on the container's thread that read
 *       the message (on Jetty); the rest wait in order. Application code may block (a blocking send to a
 *       slow peer waits up to the send timeout), so it never shares threads with:
 *   <li>{@link #transport()}, which reads upgraded connections and completes their writes: short tasks
 *       that never block, so a few threads serve every connection, and a blocking send always gets its
 *       completion even when every callback thread is waiting for one.
 *   <li>{@link #timers()}: idle checks, send and close timeouts.
 * </ul>
 *
 * Idle threads leave after a minute.
 */
final class ServerThreads {

    private static final long IDLE_SECONDS = 60;

    private final ThreadPoolExecutor callbackPool;
    private final CallbackThreads callbacks;
    private final ThreadPoolExecutor transport;
    private final ScheduledExecutorService timers;

    ServerThreads(int callbackThreads) {
        this.callbackPool = bounded(callbackThreads, "breakwater-callback");
        this.callbacks = CallbackThreads.limited(callbackPool, callbackThreads);
        this.transport = bounded(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), "breakwater-transport");
        this.timers = Executors.newSingleThreadScheduledExecutor(daemons("breakwater-timer"));
    }

    CallbackThreads callbacks() {
        return callbacks;
    }

    ExecutorService transport() {
        return transport;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    /** After the sessions are closed: lets running work finish for a moment, then stops every thread. */
    void shutdown() {
        timers.shutdown();
        callbackPool.shutdown();
        transport.shutdown();
        try {
            callbackPool.awaitTermination(2, TimeUnit.SECONDS);
            transport.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        callbackPool.shutdownNow();
        transport.shutdownNow();
    }

    /** Up to {@code threads} threads, created as work comes and gone after a minute idle; the rest queues. */
    private static ThreadPoolExecutor bounded(int threads, String prefix) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemons(prefix));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
