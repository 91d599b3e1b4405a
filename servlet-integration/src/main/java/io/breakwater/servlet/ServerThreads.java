package io.breakwater.servlet;

import io.breakwater.api.CallbackThreads;
import jakarta.servlet.ServletContext;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 *   <li>{@link #timers()}: idle checks, keepalive pings, send and close timeouts.
 * </ul>
 *
 * Idle threads leave after a minute.
 */
final class ServerThreads {

    private static final long IDLE_SECONDS = 60;

    /** The default callback limit is this share of the container's request pool: a quarter. */
    static final int POOL_SHARE_DIVISOR = 4;
    /** The most the default callback limit is, however large the container's pool. */
    static final int MOST_DEFAULT_CALLBACK_THREADS = 64;
    /** The pool size assumed where the container's cannot be read: Tomcat's and Jetty's default. */
    static final int ASSUMED_CONTAINER_THREADS = 200;

    private final ExecutorService callbackPool;
    private final CallbackThreads callbacks;
    private final ThreadPoolExecutor transport;
    private final ScheduledExecutorService timers;

    ServerThreads(int callbackThreads) {
        this(callbackThreads, false);
    }

    /**
     * @param virtualCallbacks whether application callbacks run on virtual threads (one per callback,
     *                         never on the container's reading threads), still at most
     *                         {@code callbackThreads} at once
     * @throws IllegalStateException for virtual threads on a JDK without them (before 21)
     */
    ServerThreads(int callbackThreads, boolean virtualCallbacks) {
        if (virtualCallbacks) {
            this.callbackPool = virtualThreadPerTask();
            this.callbacks = CallbackThreads.onlyOn(callbackPool, callbackThreads);
        } else {
            this.callbackPool = bounded(callbackThreads, "breakwater-callback");
            this.callbacks = CallbackThreads.limited(callbackPool, callbackThreads);
        }
        this.transport = bounded(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), "breakwater-transport");
        this.timers = newTimers();
    }

    /**
     * One timer thread. A cancelled task leaves its queue at once: every open session has an idle check or
     * a keepalive check pending, cancelled when the session ends, and a cancelled task kept until its due
     * time (30 s for the keepalive) would keep its closed session's memory that long; a server with many
     * short connections would hold tens of thousands of them.
     */
    private static ScheduledExecutorService newTimers() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemons("breakwater-timer"));
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    /**
     * The callback limit of an application that sets none: a quarter of the container's request pool,
     * at least 1 and at most {@value #MOST_DEFAULT_CALLBACK_THREADS}.
     *
     * <p>Why a share of the pool: on Jetty a message's callbacks run on the Jetty thread that read it
     * while fewer than the limit run, so callbacks that block hold up to the limit of Jetty's threads. A
     * limit as large as the pool (200 each, once) let 220 sessions whose handlers sleep take 199 of
     * Jetty's 200 threads, and a plain HTTP request went unanswered. A quarter leaves the container
     * three quarters of its pool however the application blocks. Why at most 64: more callbacks at once
     * than that only help application code that blocks, and each one past Jetty's share is a thread of
     * Breakwater's own pool; an application that blocks by design sets the parameter.
     *
     * <p>Where the pool cannot be read, {@value #ASSUMED_CONTAINER_THREADS} threads are assumed (a limit
     * of 50): on Tomcat, whose connector the servlet API does not reach, and on every container but
     * Jetty, callbacks run on Breakwater's own pool, never on the container's threads, so the limit
     * there bounds Breakwater's pool only; and on a Jetty pool without a fixed size (virtual threads).
     */
    static int defaultCallbackThreads(ServletContext context) {
        return defaultCallbackThreads(containerThreads(context));
    }

    /** The default callback limit for a container pool of at most {@code containerThreads}; 0: not known. */
    static int defaultCallbackThreads(int containerThreads) {
        int pool = containerThreads > 0 ? containerThreads : ASSUMED_CONTAINER_THREADS;
        return Math.max(1, Math.min(MOST_DEFAULT_CALLBACK_THREADS, pool / POOL_SHARE_DIVISOR));
    }

    /** The most threads the container's request pool may have; 0 where that cannot be read. */
    private static int containerThreads(ServletContext context) {
        if (!UpgradeMechanism.JettyMechanism.jettyVisible(context)) {
            return 0;
        }
        try {
            return JettyThreadPoolSize.maxThreads(context);
        } catch (LinkageError | RuntimeException notReadable) {
            return 0; // Jetty's classes are not the ones Breakwater was built with
        }
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

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}, found at run time: the compile target is Java 17. */
    private static ExecutorService virtualThreadPerTask() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need JDK 21 or newer; this is "
                    + Runtime.version() + " (context parameter "
                    + BreakwaterServletContainerInitializer.CALLBACK_EXECUTOR_PARAMETER + ")", e);
        }
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
