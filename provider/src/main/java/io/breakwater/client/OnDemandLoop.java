package io.breakwater.client;

import io.breakwater.transport.SelectorLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The selector loop of client connections, started by the first connection attempt. With an idle time
 * it also stops by itself once it has served no connection for that long, so that a JVM whose client
 * is done holds no selector thread; the next attempt starts a new loop. Without one it runs until
 * {@link #close()}.
 *
 * <p>Attempts are counted from {@link #acquire()} to {@link #attemptDone}: until its connection is
 * established a loop has no channel of it to count. After that the loop's own channel count tells
 * whether anyone uses it. Both are read under one lock, the same that {@link #acquire()} takes, so an
 * attempt either gets the loop before it is found idle, or a new loop after.
 */
final class OnDemandLoop {

    private final String namePrefix;
    private final Duration idleTime;
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private SelectorLoop running;
    private int started;
    private int attemptsUnderWay;
    /** Attempts ever begun: a loop whose count did not change between two checks made no connection. */
    private long attempts;
    /** {@link #attempts} at the last check that found the loop idle; -1 if the last check did not. */
    private long attemptsWhenLastIdle = -1;
    private boolean closed;

    /**
     * @param namePrefix the loop thread's name, before a number that counts the loops started
     * @param idleTime   how long the loop stays without connections before it stops; null to run until closed
     */
    OnDemandLoop(String namePrefix, Duration idleTime) {
        this.namePrefix = namePrefix;
        this.idleTime = idleTime;
    }

    /**
     * The running loop, started if there is none, for one connection attempt; the caller reports with
     * {@link #attemptDone} once the attempt succeeded or failed.
     *
     * @throws IOException if the loop was closed
     */
    SelectorLoop acquire() throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("the client container is closed");
            }
            if (running == null) {
                SelectorLoop loop = new SelectorLoop(namePrefix + (++started));
                loop.start();
                running = loop;
                attemptsWhenLastIdle = -1;
                if (idleTime != null) {
                    loop.schedule(idleTime, () -> checkIdle(loop));
                }
            }
            attemptsUnderWay++;
            attempts++;
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** The attempt that {@link #acquire()} began has ended: its connection is registered with the loop, or failed. */
    void attemptDone() {
        lock.lock();
        try {
            attemptsUnderWay--;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the loop if it was idle at this check and the one before, with no attempt in between: it
     * has then had no connection for at least the idle time. On the loop's thread.
     */
    private void checkIdle(SelectorLoop loop) {
        boolean stop;
        lock.lock();
        try {
            if (running != loop) {
                return; // closed meanwhile
            }
            boolean idle = attemptsUnderWay == 0 && loop.channelCount() == 0;
            stop = idle && attemptsWhenLastIdle == attempts;
            attemptsWhenLastIdle = idle ? attempts : -1;
            if (stop) {
                running = null; // the next attempt starts a new loop
            }
        } finally {
            lock.unlock();
        }
        if (stop) {
            loop.stop(); // on its own thread: returns at once, the loop ends after this turn
        } else {
            loop.schedule(idleTime, () -> checkIdle(loop));
        }
    }

    /**
     * Stops the loop, closing the channels still registered, and refuses attempts from now on. Waits for
     * the loop's thread to end (see {@link SelectorLoop#stop()}).
     */
    void close() {
        SelectorLoop loop;
        lock.lock();
        try {
            closed = true;
            loop = running;
            running = null;
        } finally {
            lock.unlock();
        }
        if (loop != null) {
            loop.stop();
        }
    }
}
