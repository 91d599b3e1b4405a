package io.breakwater.servlet;

import io.breakwater.transport.SerialExecutor;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a servlet transport tells its session from outside the session's own calls: flush completions
 * and the end of the connection, one at a time, in the order queued, on an executor (never inside the
 * caller of {@code flush} or {@code close}). An event that throws is logged; the next ones still run.
 */
final class TransportEvents {

    private static final Logger LOG = Logger.getLogger(TransportEvents.class.getName());

    private final SerialExecutor events;

    TransportEvents(Executor executor) {
        this.events = new SerialExecutor(executor);
    }

    void post(Runnable event) {
        queue(event);
        run();
    }

    /**
     * Queues an event without running it: for a transport that decides events under a lock of its own,
     * so that they are queued in the order decided, and that has them run with {@link #run} after
     * releasing it (an event may call back into the transport, and the executor may run it at once).
     */
    void queue(Runnable event) {
        events.enqueue(() -> {
            try {
                event.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "transport event failed", e);
            }
        });
    }

    /** Has the queued events run, unless they are running. */
    void run() {
        events.start();
    }
}
