package io.breakwater.servlet;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Drops an HTTP/1.1 connection to embedded Jetty 12.1 whose first request head (a WebSocket opening
 * handshake, say) is not complete within a deadline, however steadily its bytes trickle in.
 *
 * <p>Why Breakwater needs it: in a servlet container the request head is read by the container, and
 * Breakwater sees a handshake only once it is complete. Jetty bounds a slow head by its connector's
 * idle timeout, which is the longest <em>gap</em> between two reads (each byte restarts it), and by
 * {@code HttpConfiguration.getRequestHeaderSize()} (8 KiB by default): a peer sending one byte every
 * second holds a connection for over two hours with Jetty's defaults. Jetty 12.1 has no setting for the
 * time a whole head may take; this listener is one.
 *
 * <p>Install it on a connector before the server starts:
 * {@code JettyRequestHeadTimeout.install(connector, Duration.ofSeconds(10))}. It applies to the first
 * request of each connection only (later requests on a kept-alive connection are bounded by the idle
 * timeout alone); a connection whose head is complete, or that was upgraded, is left alone.
 */
public final class JettyRequestHeadTimeout implements Connection.Listener {

    private final Connector connector;
    private final long timeoutMillis;
    private final Map<Connection, Scheduler.Task> deadlines = new ConcurrentHashMap<>();

    private JettyRequestHeadTimeout(Connector connector, Duration timeout) {
        this.connector = connector;
        this.timeoutMillis = timeout.toMillis();
    }

    /**
     * Bounds the time from accepting a connection on {@code connector} to the end of its first request
     * head to {@code timeout}; the connection is closed (no response) when it passes.
     *
     * @return the listener added to the connector
     */
    public static JettyRequestHeadTimeout install(Connector connector, Duration timeout) {
        Objects.requireNonNull(connector, "connector");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the request head timeout must be positive: " + timeout);
        }
        JettyRequestHeadTimeout listener = new JettyRequestHeadTimeout(connector, timeout);
        connector.addEventListener(listener);
        return listener;
    }

    public Duration timeout() {
        return Duration.ofMillis(timeoutMillis);
    }

    @Override
    public void onOpened(Connection connection) {
        // HttpConnection (HTTP/1.x) is the ConnectionMetaData among the connections of a connector; TLS
        // and other layers below it count no requests, and are bounded through the connection above them.
        if (!(connection instanceof ConnectionMetaData)) {
            return;
        }
        deadlines.put(connection, connector.getScheduler().schedule(() -> expire(connection), timeoutMillis,
                TimeUnit.MILLISECONDS));
    }

    @Override
    public void onClosed(Connection connection) {
        // Closed, or upgraded: Jetty closes the HTTP connection it upgrades from.
        Scheduler.Task deadline = deadlines.remove(connection);
        if (deadline != null) {
            deadline.cancel();
        }
    }

    private void expire(Connection connection) {
        deadlines.remove(connection);
        // Jetty counts a request in getMessagesIn() once its head is complete.
        if (connection.getMessagesIn() == 0 && connection.getEndPoint().getConnection() == connection) {
            connection.getEndPoint().close();
        }
    }
}
