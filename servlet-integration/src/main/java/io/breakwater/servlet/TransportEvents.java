package io.breakwater.servlet;

import io.breakwater.transport.SerialExecutor;
import io.breakwater.transport.Transport.WriteCompletion;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a servlet transport tells its session from outside the session's own calls: flush completions
 * and the end of the connection, one at a time, in the order posted, on an executor (never inside the
 * caller of {@code flush} or {@code close}). An event that throws is logged; the next ones still run.
 */
final class TransportEvents {

    private static final Logger LOG = Logger.getLogger(TransportEvents.class.getName());

    private final SerialExecutor events;

    TransportEvents(Executor executor) {
        this.events = new SerialExecutor(executor);
    }

    void post(Runnable event) {
        events.execute(() -> {
            try {
                event.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "transport event failed", e);
            }
        });
    }

    /** The connection is closed: fails the flushes still pending, then tells the handler. */
    void closed(List<WriteCompletion> pending, Throwable flushFailure, Runnable tellHandler) {
        for (WriteCompletion done : pending) {
            post(() -> done.completed(flushFailure));
        }
        post(tellHandler);
    }
}
