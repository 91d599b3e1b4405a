package io.breakwater.api;

import jakarta.websocket.WebSocketContainer;
import java.util.Objects;

/**
 * The session defaults every {@link WebSocketContainer} exposes (async send timeout, idle timeout,
 * text and binary buffer sizes) and Breakwater's keepalive, kept in one place for the client and the
 * server container, and the {@link SessionSettings} a session opened now gets from them.
 */
public abstract class ContainerDefaults implements WebSocketContainer {

    private final SessionSettings base;
    private volatile long asyncSendTimeout;
    private volatile long maxSessionIdleTimeout;
    private volatile int maxBinaryMessageBufferSize;
    private volatile int maxTextMessageBufferSize;
    private volatile Keepalive keepalive;

    /**
     * @param base the executors and the limits the {@code WebSocketContainer} does not expose; its send
     *     timeout, idle timeout and buffer sizes are the initial defaults
     */
    protected ContainerDefaults(SessionSettings base) {
        this.base = base;
        this.asyncSendTimeout = base.sendTimeoutMillis();
        this.maxSessionIdleTimeout = base.maxIdleTimeoutMillis();
        this.maxBinaryMessageBufferSize = base.maxBinaryMessageBuffer();
        this.maxTextMessageBufferSize = base.maxTextMessageBuffer();
        this.keepalive = base.keepalive();
    }

    /** The settings for a session opened now: the base settings with the container's current defaults. */
    public SessionSettings sessionSettings() {
        return new SessionSettings(base.callbacks(), base.timers(), maxTextMessageBufferSize,
                maxBinaryMessageBufferSize, maxSessionIdleTimeout, asyncSendTimeout, base.maxQueuedBytes(),
                base.closeTimeoutMillis(), keepalive);
    }

    /** The keepalive of sessions opened from now on, unless their endpoint's user properties set another. */
    public Keepalive getDefaultKeepalive() {
        return keepalive;
    }

    /**
     * Sets the keepalive of sessions opened from now on ({@link Keepalive#OFF} for none); an endpoint's user
     * properties {@value Keepalive#INTERVAL_PROPERTY} and {@value Keepalive#TIMEOUT_PROPERTY} override it.
     */
    public void setDefaultKeepalive(Keepalive keepalive) {
        this.keepalive = Objects.requireNonNull(keepalive, "keepalive");
    }

    @Override
    public long getDefaultAsyncSendTimeout() {
        return asyncSendTimeout;
    }

    @Override
    public void setAsyncSendTimeout(long timeoutMillis) {
        asyncSendTimeout = timeoutMillis;
    }

    @Override
    public long getDefaultMaxSessionIdleTimeout() {
        return maxSessionIdleTimeout;
    }

    @Override
    public void setDefaultMaxSessionIdleTimeout(long timeout) {
        maxSessionIdleTimeout = timeout;
    }

    @Override
    public int getDefaultMaxBinaryMessageBufferSize() {
        return maxBinaryMessageBufferSize;
    }

    @Override
    public void setDefaultMaxBinaryMessageBufferSize(int max) {
        maxBinaryMessageBufferSize = max;
    }

    @Override
    public int getDefaultMaxTextMessageBufferSize() {
        return maxTextMessageBufferSize;
    }

    @Override
    public void setDefaultMaxTextMessageBufferSize(int max) {
        maxTextMessageBufferSize = max;
    }
}
