package io.breakwater.api;

import io.breakwater.transport.Transport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Why reading from the peer is suspended, and the one place that tells the transport: reading stops
 * while any hold applies and resumes when none does. Holds are taken and released from any thread
 * (the reading thread, callback threads, write completions) with no lock: the thread that changes
 * them applies the result, unless another is applying, which then applies it too before it leaves.
 */
final class ReadingHolds {

    /** Until the endpoint's onOpen has returned: a message's handlers are those onOpen registers (§2.1.3). */
    static final int UNTIL_OPEN = 1;
    /** While more received bytes wait for the application than the session's queue limit. */
    static final int BACKLOG = 2;
    /** While more than the queue limit waits to be written: the peer does not read what it is answered. */
    static final int OUTPUT = 4;

    private final Transport transport;
    private final AtomicInteger holds = new AtomicInteger();
    private final AtomicBoolean applying = new AtomicBoolean();
    /** What the transport was last told; written only by the applying thread. */
    private volatile boolean suspended;

    ReadingHolds(Transport transport) {
        this.transport = transport;
    }

    void hold(int reason) {
        holds.getAndUpdate(current -> current | reason);
        apply();
    }

    void release(int reason) {
        if (!holds(reason)) {
            return; // nothing changes: as if released before the hold was taken (callbacks release often)
        }
        holds.getAndUpdate(current -> current & ~reason);
        apply();
    }

    boolean holds(int reason) {
        return (holds.get() & reason) != 0;
    }

    private void apply() {
        while ((holds.get() != 0) != suspended && applying.compareAndSet(false, true)) {
            try {
                boolean suspend = holds.get() != 0;
                if (suspend != suspended) {
                    suspended = suspend;
                    if (suspend) {
                        transport.suspendReading();
                    } else {
                        transport.resumeReading();
                    }
                }
            } finally {
                applying.set(false);
            }
            // A change made while this thread applied is seen by the loop's condition.
        }
    }
}
