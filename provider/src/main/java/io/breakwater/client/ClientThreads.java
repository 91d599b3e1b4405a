package io.breakwater.client;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads client containers run on: a selector loop for the connections' I/O, a timer for the
 * sessions' deadlines, and a pool for application callbacks (endpoint methods, handlers, the
 * configurator's {@code afterResponse}, decoders' and encoders' {@code init}).
 *
 * <p>One set is shared by every container {@code ContainerProvider} makes, so that a program that asks
 * for a container per connection does not collect threads. Its threads leave once they have had
 * nothing to do for a few seconds, the selector loop included, and start again on demand: a JVM whose
 * client is done, or a web application that used a client and was undeployed, keeps none of them.
 * A container made explicitly has a set of its own, stopped when the container closes; its selector
 * loop runs until then, its pools' threads still leave when idle.
 *
 * <p>Every thread is a daemon named {@code breakwater-client-…}, carries Breakwater's class loader as
 * its context class loader, and inherits no thread locals: a shared thread must not keep the
 * application that happened to start it reachable. Callbacks set the application's class loader for
 * the time they run.
 */
final class ClientThreads {

    /** How long a shared thread, or a pool's, waits for work before it ends. */
    static final Duration IDLE_TIME = Duration.ofSeconds(5);
    static final String NAME_PREFIX = "breakwater-client-";

    private static final AtomicInteger OWN_SETS = new AtomicInteger();

    private final OnDemandLoop loop;
    private final ScheduledThreadPoolExecutor timers;
    private final ThreadPoolExecutor callbacks;
    private final boolean shared;

    private ClientThreads(String prefix, boolean shared) {
        this.shared = shared;
        this.loop = new OnDemandLoop(prefix + "selector-", shared ? IDLE_TIME : null);
        this.timers = new ScheduledThreadPoolExecutor(1, daemons(prefix + "timer-"));
        // The timer's one thread leaves when no task is due: a cancelled task must not keep it, nor
        // delayed tasks (close deadlines) a container that stops.
        timers.setKeepAliveTime(IDLE_TIME.toMillis(), TimeUnit.MILLISECONDS);
        timers.allowCoreThreadTimeOut(true);
        timers.setRemoveOnCancelPolicy(true);
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        // A cached pool, with a shorter keep-alive than Executors.newCachedThreadPool's minute.
        this.callbacks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_TIME.toMillis(), TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), daemons(prefix + "callback-"));
    }

    /** The set that containers from {@code ContainerProvider} share; never stopped, idle threads leave. */
    static ClientThreads shared() {
        return Shared.THREADS;
    }

    /** A set for one container, {@code breakwater-client-N-…}; {@link #stop()} ends it. */
    static ClientThreads own() {
        return new ClientThreads(NAME_PREFIX + OWN_SETS.incrementAndGet() + "-", false);
    }

    /** Created on first use: a JVM that never connects as a client has no shared set. */
    private static final class Shared {
        static final ClientThreads THREADS = new ClientThreads(NAME_PREFIX, true);
    }

    OnDemandLoop loop() {
        return loop;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    ThreadPoolExecutor callbacks() {
        return callbacks;
    }

    boolean isShared() {
        return shared;
    }

    /**
     * Ends an own set: stops the selector loop (closing what is still connected, whose sessions then
     * queue their {@code onClose}), then the timer, then the callback pool, which still runs what was
     * queued before its threads end. Does nothing to the shared set.
     */
    void stop() {
        if (shared) {
            return;
        }
        loop.close();
        timers.shutdown();
        callbacks.shutdown();
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(null, runnable, prefix + count.incrementAndGet(), 0, false);
            thread.setDaemon(true);
            thread.setContextClassLoader(ClientThreads.class.getClassLoader());
            return thread;
        };
    }
}
