package io.breakwater.servlet;

import jakarta.servlet.ServletOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the TCP connection of a request Tomcat upgraded, from any thread.
 *
 * <p>Tomcat closes the socket of an upgraded connection only when one of its own threads, dispatching a
 * read or write event, finds both of the connection's streams closed. Streams closed on any other
 * thread (a timer's, or one running the application's callbacks) leave TCP open until the peer sends
 * again, and a WebSocket peer waits for the server to close first (RFC 6455 §7.1.1). The servlet API
 * cannot ask the container for an event; Tomcat's socket wrapper, which its own WebSocket
 * implementation closes from any thread, can end the connection. It is reached through the upgraded
 * output stream, by reflection, so that nothing here depends on Tomcat; on other containers, or
 * should Tomcat's internals change, {@link #of} finds nothing and closing stays the container's.
 */
final class TomcatSocket {

    private static final Logger LOG = Logger.getLogger(TomcatSocket.class.getName());
    private static final String OUTPUT_STREAM = "org.apache.coyote.http11.upgrade.UpgradeServletOutputStream";

    private final Object socketWrapper;
    private final Method close;

    private TomcatSocket(Object socketWrapper, Method close) {
        this.socketWrapper = socketWrapper;
        this.close = close;
    }

    /** The socket under Tomcat's upgraded {@code out}, or null for another container's stream. */
    static TomcatSocket of(ServletOutputStream out) {
        if (!out.getClass().getName().equals(OUTPUT_STREAM)) {
            return null;
        }
        try {
            Field field = out.getClass().getDeclaredField("socketWrapper");
            field.setAccessible(true);
            Object wrapper = field.get(out);
            return wrapper == null ? null : new TomcatSocket(wrapper, wrapper.getClass().getMethod("close"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "Tomcat's socket wrapper is out of reach; Tomcat closes the socket itself", e);
            return null;
        }
    }

    /**
     * Closes the socket. Only once every byte written is out of Tomcat's buffers: the wrapper's close
     * does not write what is left.
     */
    void close() {
        try {
            close.invoke(socketWrapper);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "closing Tomcat's socket failed", e);
        }
    }
}
