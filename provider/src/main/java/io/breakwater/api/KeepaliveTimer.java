package io.breakwater.api;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One session's {@link Keepalive}: when the peer has been quiet for the interval it is pinged, and when
 * nothing at all arrives within the timeout after the ping the session is told to close. Any input
 * counts as a sign of life, not only the pong: a peer busy sending is there, whether or not its pong
 * is behind its data.
 *
 * <p>Thread safety: the timer runs one check at a time (each check schedules the next), so the state of
 * the ping in flight is the timer's alone; {@link #stop} may be called from any thread.
 */
final class KeepaliveTimer implements Runnable {

    /** What the timer asks of its session. */
    interface Peer {
        /** The clock's time ({@link System#nanoTime()}) when the peer's last input arrived. */
        long lastHeardNanos();

        /** Sends a keepalive ping; false when the session can no longer send. */
        boolean ping();

        /** Nothing arrived within the timeout after a ping: the session closes. */
        void silent(long waitedMillis);
    }

    /** Runs a check later; the session's timers, or a test's. */
    @FunctionalInterface
    interface Timer {
        /** @throws RejectedExecutionException when the timer is stopped */
        Future<?> schedule(Runnable task, long delayNanos);
    }

    private final Timer timer;
    private final LongSupplier clock;
    private final Peer peer;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final long timeoutMillis;

    private boolean awaitingLife;
    private long pingedAt;
    private volatile boolean stopped;
    private volatile Future<?> next;

    KeepaliveTimer(Keepalive keepalive, ScheduledExecutorService timers, Peer peer) {
        this(keepalive, (task, delayNanos) -> timers.schedule(task, delayNanos, TimeUnit.NANOSECONDS), System::nanoTime,
                peer);
    }

    /** With a timer and a clock of a test's. */
    KeepaliveTimer(Keepalive keepalive, Timer timer, LongSupplier clock, Peer peer) {
        this.timer = timer;
        this.clock = clock;
        this.peer = peer;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(keepalive.intervalMillis());
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(keepalive.timeoutMillis());
        this.timeoutMillis = keepalive.timeoutMillis();
    }

    /** Schedules the first check, an interval from now. */
    void start() {
        schedule(intervalNanos);
    }

    /** No more pings and no more checks (the session is closing or closed). */
    void stop() {
        stopped = true;
        Future<?> pending = next;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    @Override
    public void run() {
        if (stopped) {
            return;
        }
        long now = clock.getAsLong();
        long heard = peer.lastHeardNanos();
        if (awaitingLife) {
            long sincePing = now - pingedAt;
            if (heard - pingedAt >= 0) {
                awaitingLife = false; // heard from since the ping: quiet again from then on
            } else if (sincePing >= timeoutNanos) {
                stopped = true;
                peer.silent(timeoutMillis);
                return;
            } else {
                schedule(timeoutNanos - sincePing);
                return;
            }
        }
        long quiet = now - heard;
        if (quiet < intervalNanos) {
            schedule(intervalNanos - quiet);
            return;
        }
        awaitingLife = true;
        pingedAt = now;
        if (peer.ping()) {
            schedule(timeoutNanos);
        }
    }

    private void schedule(long delayNanos) {
        if (stopped) {
            return;
        }
        Future<?> scheduled;
        try {
            scheduled = timer.schedule(this, Math.max(1, delayNanos));
        } catch (RejectedExecutionException containerStopped) {
            stopped = true; // the container's shutdown closes its sessions
            return;
        }
        next = scheduled;
        if (stopped) {
            scheduled.cancel(false); // stop() ran between the check and the scheduling
        }
    }
}
