package io.breakwater.api;

import java.net.SocketTimeoutException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The send timeouts of one session's asynchronous sends, watched by one timer task at a time instead of
 * a task per send: sends complete in the order they were made, so the oldest unfinished one is the first
 * to be late. While sends are in flight one task waits for the oldest one's deadline; when it finds that
 * send late it fails, and the connection is aborted (what reached the peer is then unknown), which
 * fails every send still in flight, in its turn. A session with nothing in flight has no task, and a
 * finished send leaves nothing behind.
 */
final class SendDeadlines {

    private final ScheduledExecutorService timers;
    private final Runnable abort;
    private final Queue<InFlight> inFlight = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean watching = new AtomicBoolean();

    SendDeadlines(ScheduledExecutorService timers, Runnable abort) {
        this.timers = timers;
        this.abort = abort;
    }

    /** One send in flight; {@link #finish} decides once whether it completed or timed out. */
    final class InFlight {
        private final long deadline;
        private final long timeoutMillis;
        private final Consumer<Throwable> done;
        private final AtomicBoolean finished = new AtomicBoolean();

        private InFlight(long timeoutMillis, Consumer<Throwable> done) {
            this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            this.timeoutMillis = timeoutMillis;
            this.done = done;
        }

        /**
         * Stops watching a send the channel refused at once: it is not in flight, and its refusal is
         * told in its turn, however long the sends before it take.
         */
        void unwatch() {
            inFlight.remove(this);
        }

        /** Completes the send, unless it has timed out already. */
        void finish(Throwable failure) {
            if (finished.compareAndSet(false, true)) {
                inFlight.remove(this); // the head, almost always: sends complete in order
                done.accept(failure);
            }
        }
    }

    /** Watches a send that must complete within {@code timeoutMillis} (a positive number). */
    InFlight start(long timeoutMillis, Consumer<Throwable> done) {
        InFlight send = new InFlight(timeoutMillis, done);
        inFlight.add(send);
        watch(timeoutMillis);
        return send;
    }

    private void watch(long delayMillis) {
        if (!watching.compareAndSet(false, true)) {
            return;
        }
        try {
            timers.schedule(this::check, Math.max(1, delayMillis), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            watching.set(false); // the container is stopping: its shutdown closes the sessions
        }
    }

    private void check() {
        watching.set(false);
        InFlight oldest = inFlight.peek();
        if (oldest == null) {
            if (!inFlight.isEmpty()) {
                watch(1); // a send started as this check began
            }
            return;
        }
        long left = oldest.deadline - System.nanoTime();
        if (left > 0) {
            watch(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            return;
        }
        // The late send hears of its timeout before the abort fails the sends after it, which then hear
        // of the connection's end in their turn (outcomes are told in send order, refusals among them).
        oldest.finish(new SocketTimeoutException("send not completed within the send timeout of "
                + oldest.timeoutMillis + " ms"));
        abort.run();
    }
}
