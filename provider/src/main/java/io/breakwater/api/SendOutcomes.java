package io.breakwater.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketTimeoutException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Tells one session's asynchronous sends their outcomes in the order they were made, and fails the
 * first that outlives its send timeout.
 *
 * <p>Order: a send's outcome is decided once, by whichever comes first (its completion by the channel,
 * or its timeout), and told only after those of every send made before it. Deciding and telling are
 * apart because two threads may decide at once: the timer fails a late send while the transport's
 * thread completes the sends after it. One thread at a time tells, with no lock held (as
 * {@link io.breakwater.transport.SerialExecutor} runs tasks): the head of the queue once it is decided,
 * then the next; a thread that decides while another tells leaves its outcome to that one.
 *
 * <p>Timeouts: while sends are in flight one timer task waits for the nearest deadline, instead of a
 * task per send. A late send fails, and the connection is aborted (what reached the peer is then
 * unknown), which fails every send still in flight, each told in its turn. A session with nothing in
 * flight has no task, and a told send leaves nothing behind.
 */
final class SendOutcomes {

    private static final VarHandle WATCHING;
    private static final VarHandle TELLING;
    private static final VarHandle OUTCOME;
    /** The outcome of a send that succeeded; null is that of one not decided yet. */
    private static final Object SUCCEEDED = new Object();

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WATCHING = lookup.findVarHandle(SendOutcomes.class, "watching", boolean.class);
            TELLING = lookup.findVarHandle(SendOutcomes.class, "telling", boolean.class);
            OUTCOME = lookup.findVarHandle(Send.class, "outcome", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Timer timer;
    private final Runnable abort;
    private final LongSupplier clock;
    /** Sends not yet told, oldest first; only the telling thread removes them. */
    private final Queue<Send> untold = new ConcurrentLinkedQueue<>();
    /** Whether a timer task is scheduled. */
    private volatile boolean watching;
    /** Whether a thread is telling outcomes. */
    private volatile boolean telling;

    SendOutcomes(ScheduledExecutorService timers, Runnable abort) {
        this((task, delayMillis) -> timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS), abort, System::nanoTime);
    }

    /** With the timer and the clock of deadlines given (a model check runs {@link #check} itself). */
    SendOutcomes(Timer timer, Runnable abort, LongSupplier clock) {
        this.timer = timer;
        this.abort = abort;
        this.clock = clock;
    }

    /** Runs a task once, later. */
    @FunctionalInterface
    interface Timer {
        /** @throws RejectedExecutionException when the timer is stopped */
        void schedule(Runnable task, long delayMillis);
    }

    /** One send whose outcome is to be told; {@link #finish} decides it once. */
    final class Send {
        private final long timeoutMillis;
        private final long deadline;
        private final Consumer<Throwable> done;
        /** Whether its deadline counts: not once the channel refused it (it is not in flight then). */
        private volatile boolean watched;
        /** Null while undecided, then {@link #SUCCEEDED} or the failure; set once. */
        @SuppressWarnings("unused") // through OUTCOME
        private volatile Object outcome;

        private Send(long timeoutMillis, Consumer<Throwable> done) {
            this.timeoutMillis = timeoutMillis;
            this.watched = timeoutMillis > 0;
            this.deadline = watched ? clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
            this.done = done;
        }

        /**
         * Stops watching the deadline of a send the channel refused at once: it is not in flight, and its
         * refusal is told in its turn, however long the sends before it take.
         */
        void unwatch() {
            watched = false;
        }

        /** Decides the send's outcome (null: it succeeded), unless its timeout decided it already. */
        void finish(Throwable failure) {
            if (OUTCOME.compareAndSet(this, null, failure == null ? SUCCEEDED : failure)) {
                tellWhatIsDecided();
            }
        }

        private boolean decided() {
            return outcome != null;
        }

        private boolean lateAt(long now) {
            return watched && !decided() && now - deadline >= 0;
        }
    }

    /**
     * A send to be told its outcome through {@code done}, in its turn; with a positive
     * {@code timeoutMillis} it fails if not finished within that time.
     */
    Send start(long timeoutMillis, Consumer<Throwable> done) {
        Send send = new Send(timeoutMillis, done);
        untold.add(send);
        if (timeoutMillis > 0) {
            watch(timeoutMillis);
        }
        return send;
    }

    private void tellWhatIsDecided() {
        do {
            if (!TELLING.compareAndSet(this, false, true)) {
                return; // the thread telling sees this outcome once it reaches it
            }
            try {
                while (headDecided()) {
                    Send head = untold.poll();
                    Object outcome = head.outcome;
                    head.done.accept(outcome == SUCCEEDED ? null : (Throwable) outcome);
                }
            } finally {
                telling = false;
            }
            // An outcome decided after the loop looked, while this thread still told, is told now.
        } while (headDecided());
    }

    private boolean headDecided() {
        Send head = untold.peek();
        return head != null && head.decided();
    }

    private void watch(long delayMillis) {
        if (!WATCHING.compareAndSet(this, false, true)) {
            return;
        }
        try {
            timer.schedule(this::check, Math.max(1, delayMillis));
        } catch (RejectedExecutionException stopped) {
            watching = false; // the container is stopping: its shutdown closes the sessions
        }
    }

    /** The timer task: fails the oldest late send and aborts, or waits for the nearest deadline. */
    void check() {
        watching = false;
        long now = clock.getAsLong();
        long nearest = Long.MAX_VALUE;
        for (Send send : untold) {
            if (send.lateAt(now)) {
                // Decided before the abort fails the sends after it; told, like theirs, in its turn.
                send.finish(new SocketTimeoutException("send not completed within the send timeout of "
                        + send.timeoutMillis + " ms"));
                abort.run();
                return;
            }
            if (send.watched && !send.decided()) {
                nearest = Math.min(nearest, send.deadline - now);
            }
        }
        if (nearest != Long.MAX_VALUE) {
            watch(TimeUnit.NANOSECONDS.toMillis(nearest) + 1);
        }
    }
}
