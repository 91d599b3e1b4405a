package io.breakwater.api;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a container gives each of its sessions: threads for application callbacks, a timer, and the
 * defaults of the limits a session can change.
 *
 * @param callbacks             runs application code (endpoint and handler methods, send completions)
 * @param timers                idle timeouts, send timeouts, the wait for the peer's close, keepalive pings
 * @param maxTextMessageBuffer  default of {@code Session.getMaxTextMessageBufferSize()}, in bytes
 * @param maxBinaryMessageBuffer default of {@code Session.getMaxBinaryMessageBufferSize()}, in bytes
 * @param maxIdleTimeoutMillis  default idle timeout; 0 for none
 * @param sendTimeoutMillis     how long a blocking send or an async send may take before the session is aborted
 * @param maxQueuedBytes        outgoing bytes a session may have waiting before async sends are refused
 * @param closeTimeoutMillis    how long to wait for the peer's part of the close handshake
 * @param keepalive             when a quiet peer is pinged and how long it has to answer (its endpoint's user
 *                              properties may change it for one session: {@link Keepalive#with})
 */
public record SessionSettings(CallbackThreads callbacks, ScheduledExecutorService timers,
                              int maxTextMessageBuffer, int maxBinaryMessageBuffer,
                              long maxIdleTimeoutMillis, long sendTimeoutMillis,
                              long maxQueuedBytes, long closeTimeoutMillis, Keepalive keepalive) {

    /** The default of {@link #maxQueuedBytes()}: 4 MiB. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 4L << 20;
    /** The default of {@link #closeTimeoutMillis()}: 5 s. */
    public static final long DEFAULT_CLOSE_TIMEOUT_MILLIS = 5_000;

    public SessionSettings {
        Objects.requireNonNull(keepalive, "keepalive");
    }

    /**
     * 64 KiB messages, no idle timeout, 30 s to send, 4 MiB of outgoing queue, 5 s to close, a keepalive
     * ping after 30 s of quiet ({@link Keepalive#DEFAULT}).
     */
    public static SessionSettings defaults(CallbackThreads callbacks, ScheduledExecutorService timers) {
        return new SessionSettings(callbacks, timers, 64 * 1024, 64 * 1024, 0, 30_000,
                DEFAULT_MAX_QUEUED_BYTES, DEFAULT_CLOSE_TIMEOUT_MILLIS, Keepalive.DEFAULT);
    }

    /** These settings with another limit of outgoing bytes waiting per session. */
    public SessionSettings withMaxQueuedBytes(long bytes) {
        return new SessionSettings(callbacks, timers, maxTextMessageBuffer, maxBinaryMessageBuffer,
                maxIdleTimeoutMillis, sendTimeoutMillis, bytes, closeTimeoutMillis, keepalive);
    }

    /** These settings with another wait for the peer's part of the close handshake. */
    public SessionSettings withCloseTimeoutMillis(long millis) {
        return new SessionSettings(callbacks, timers, maxTextMessageBuffer, maxBinaryMessageBuffer,
                maxIdleTimeoutMillis, sendTimeoutMillis, maxQueuedBytes, millis, keepalive);
    }

    /** These settings with another keepalive. */
    public SessionSettings withKeepalive(Keepalive other) {
        return new SessionSettings(callbacks, timers, maxTextMessageBuffer, maxBinaryMessageBuffer,
                maxIdleTimeoutMillis, sendTimeoutMillis, maxQueuedBytes, closeTimeoutMillis, other);
    }
}
