package io.breakwater.servlet;

import jakarta.servlet.ServletOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The socket of a request Tomcat upgraded, for the two things the servlet API cannot ask of Tomcat.
 *
 * <p><b>Ending TCP from any thread.</b> Tomcat closes the socket of an upgraded connection only when one
 * of its own threads, dispatching a read or write event, finds both of the connection's streams closed.
 * Streams closed on any other thread (a timer's, or one running the application's callbacks) leave TCP
 * open until the peer sends again, and a WebSocket peer waits for the server to close first (RFC 6455
 * §7.1.1).
 *
 * <p><b>Reading only within Tomcat's read events.</b> Tomcat serialises its own events on a connection
 * under the socket's lock, and each read event fills the socket's read buffer before it calls the read
 * listener ({@code isReadyForRead}), whether or not the listener said it wanted input. After a read
 * event returns, Tomcat asks the poller for the next one. A read on any other thread can therefore
 * overlap an event's fill of the same unsynchronised buffer, and bytes are lost or garbled. So on
 * Tomcat, resuming does not read on an application thread: it asks Tomcat for a read event, which is
 * what Tomcat's own WebSocket implementation does.
 *
 * <p>The socket wrapper is reached through the upgraded output stream by reflection, so nothing here
 * depends on Tomcat. On other containers, or should Tomcat's internals change, {@link #of} finds
 * nothing and the portable paths are taken.
 */
final class TomcatSocket {

    private static final Logger LOG = Logger.getLogger(TomcatSocket.class.getName());
    private static final String OUTPUT_STREAM = "org.apache.coyote.http11.upgrade.UpgradeServletOutputStream";
    private static final String SOCKET_EVENT = "org.apache.tomcat.util.net.SocketEvent";

    private final Object socketWrapper;
    private final Method close;
    private final Method processSocket;
    private final Object readEvent;

    private TomcatSocket(Object socketWrapper, Method close, Method processSocket, Object readEvent) {
        this.socketWrapper = socketWrapper;
        this.close = close;
        this.processSocket = processSocket;
        this.readEvent = readEvent;
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
            if (wrapper == null) {
                return null;
            }
            Class<?> events = Class.forName(SOCKET_EVENT, false, wrapper.getClass().getClassLoader());
            Object openRead = readEvent(events);
            return new TomcatSocket(wrapper, wrapper.getClass().getMethod("close"),
                    wrapper.getClass().getMethod("processSocket", events, boolean.class), openRead);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "Tomcat's socket wrapper is out of reach; the portable paths are taken", e);
            return null;
        }
    }

    private static Object readEvent(Class<?> events) throws ReflectiveOperationException {
        for (Object constant : events.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals("OPEN_READ")) {
                return constant;
            }
        }
        throw new NoSuchFieldException(SOCKET_EVENT + ".OPEN_READ");
    }

    /**
     * Has one of Tomcat's threads deliver a read event: the read listener is called if input is
     * buffered or arrives, and the next event is asked of the poller if not. Never runs the event here.
     */
    void dispatchRead() {
        try {
            processSocket.invoke(socketWrapper, readEvent, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "asking Tomcat for a read event failed", e);
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
