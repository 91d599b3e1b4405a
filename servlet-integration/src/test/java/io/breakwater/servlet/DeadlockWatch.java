package io.breakwater.servlet;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asks the JVM for deadlocked threads ({@link ThreadMXBean#findDeadlockedThreads}) every few
 * milliseconds while a test runs, and keeps the first report: a deadlock may come and wedge a
 * connection at any moment of the test, not only when the test looks.
 */
final class DeadlockWatch implements AutoCloseable {

    private static final long PERIOD_MILLIS = 20;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final AtomicReference<String> found = new AtomicReference<>();
    private final Thread watcher;

    DeadlockWatch() {
        watcher = new Thread(this::watch, "deadlock-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch() {
        while (!Thread.currentThread().isInterrupted() && found.get() == null) {
            look();
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException stopped) {
                return;
            }
        }
    }

    private void look() {
        long[] ids = threads.findDeadlockedThreads();
        if (ids == null) {
            return;
        }
        StringBuilder report = new StringBuilder("deadlocked threads:\n");
        for (ThreadInfo info : threads.getThreadInfo(ids, true, true)) {
            if (info != null) {
                report.append(info); // name, state, the lock waited for and its owner, the top frames
            }
        }
        found.compareAndSet(null, report.toString());
    }

    /** The first deadlock seen so far, with the threads' stacks; null while none was. */
    String deadlock() {
        if (found.get() == null) {
            look(); // once more, now
        }
        return found.get();
    }

    @Override
    public void close() {
        watcher.interrupt();
    }
}
