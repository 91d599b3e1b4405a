package io.breakwater.api;

import java.util.Map;

/**
 * When a session pings a quiet peer, and how long it waits for a sign of life: a peer that vanished
 * without a FIN or a reset (a phone that lost its network, a NAT that forgot the mapping) is otherwise
 * noticed only when a send to it times out, which never happens on a connection nobody writes to.
 * RFC 6455 §5.5.2 lets either side ping at any time, and every conforming peer answers with a pong.
 *
 * <p>By default a ping goes out after 30 s without a frame from the peer, and the session closes when
 * nothing arrives within 20 s of it (python-websockets pings after 20 s). Not 20 s: a ping received
 * counts as activity for the idle timeout (the TCK's sendPingDelaysTimout tests require it), so a peer
 * whose keepalive pinged exactly as often as a session's idle timeout allows, a common 20 s, would keep
 * that session from ever timing out (the TCK's session setTimeout tests use 20 s). Jakarta WebSocket 2.2
 * says nothing of pings the container sends itself; they never reach the application (a pong that
 * answers one is not delivered to a pong handler) and they do not keep a session from its idle timeout.
 *
 * @param intervalMillis quiet time after which a ping is sent; 0 switches keepalive off
 * @param timeoutMillis  how long after the ping the peer has to be heard from before the session is closed
 */
public record Keepalive(long intervalMillis, long timeoutMillis) {

    /** The user property (of a server or client endpoint's config) that sets {@link #intervalMillis()}. */
    public static final String INTERVAL_PROPERTY = "io.breakwater.keepaliveInterval";
    /** The user property (of a server or client endpoint's config) that sets {@link #timeoutMillis()}. */
    public static final String TIMEOUT_PROPERTY = "io.breakwater.keepaliveTimeout";

    /** No pings. */
    public static final Keepalive OFF = new Keepalive(0, 0);
    /** A ping after 30 s of quiet; closed when nothing arrives in the 20 s after it. */
    public static final Keepalive DEFAULT = new Keepalive(30_000, 20_000);

    public Keepalive {
        if (intervalMillis < 0 || timeoutMillis < 0) {
            throw new IllegalArgumentException("keepalive interval and timeout are at least 0, not "
                    + intervalMillis + " and " + timeoutMillis);
        }
        if (intervalMillis > 0 && timeoutMillis == 0) {
            throw new IllegalArgumentException("a keepalive of " + intervalMillis
                    + " ms needs a timeout above 0 for the pong");
        }
    }

    /** Whether pings are sent. */
    public boolean isOn() {
        return intervalMillis > 0;
    }

    /**
     * This keepalive with what {@code userProperties} set ({@link #INTERVAL_PROPERTY}, {@link #TIMEOUT_PROPERTY}:
     * a number of milliseconds, as a {@link Number} or a decimal string). An interval of 0 is {@link #OFF};
     * an interval set on a keepalive without a timeout (such as {@code OFF}) waits as long as the interval.
     *
     * @throws IllegalArgumentException when a property is not a number of milliseconds
     */
    public Keepalive with(Map<String, Object> userProperties) {
        long interval = millis(userProperties, INTERVAL_PROPERTY, intervalMillis);
        long timeout = millis(userProperties, TIMEOUT_PROPERTY, timeoutMillis);
        if (interval == intervalMillis && timeout == timeoutMillis) {
            return this;
        }
        return interval == 0 ? OFF : new Keepalive(interval, timeout == 0 ? interval : timeout);
    }

    private static long millis(Map<String, Object> properties, String name, long otherwise) {
        Object value = properties.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            long millis = value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().trim());
            if (millis >= 0) {
                return millis;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException("the user property " + name + " is a number of milliseconds"
                + " (0 or more), not '" + value + "'");
    }
}
