package io.breakwater.api.annotated;

import io.breakwater.api.BreakwaterSession;
import jakarta.websocket.CloseReason;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The per-connection adapter of an annotated endpoint: a programmatic {@link Endpoint} wrapping one instance of the
 * annotated class and calling its methods as prepared by an {@link AnnotatedEndpointModel}.
 *
 * <p>{@link #onOpen} applies {@code @OnMessage(maxMessageSize)} to the session, registers one
 * {@code MessageHandler.Whole} or {@code MessageHandler.Partial} per {@code @OnMessage} method with
 * {@code Session.addMessageHandler(Class, ...)}, then calls {@code @OnOpen}. Errors thrown by application methods,
 * {@code @PathParam} conversion failures and failures to send a return value are caught here and passed to
 * {@link #onError} (WebSocket 2.2 §5.2.2), so the registered handlers do not throw. Without an {@code @OnError} method
 * errors are logged (WSC-5.2.2-3), as are errors thrown by the {@code @OnError} method itself (WSC-5.2.2-4).
 *
 * <p>Not thread-safe beyond what the container guarantees: one thread at a time per peer (§5.1).
 */
public final class AnnotatedEndpoint extends Endpoint {

    private static final System.Logger LOG = System.getLogger(AnnotatedEndpoint.class.getName());

    private static final VarHandle FIRST_ERROR_LOGGED;

    static {
        try {
            FIRST_ERROR_LOGGED = MethodHandles.lookup().findVarHandle(AnnotatedEndpoint.class, "firstErrorLogged",
                    boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AnnotatedEndpointModel model;
    private final Object instance;
    /** Whether an application error without {@code @OnError} was logged at WARNING (one adapter per session). */
    @SuppressWarnings("unused") // through FIRST_ERROR_LOGGED: a field, not an AtomicBoolean, for idle memory
    private volatile boolean firstErrorLogged;

    /**
     * @param model    the validated model of the endpoint class
     * @param instance the endpoint instance for this connection
     * @throws IllegalArgumentException when {@code instance} is not an instance of the model's class
     */
    public AnnotatedEndpoint(AnnotatedEndpointModel model, Object instance) {
        this.model = Objects.requireNonNull(model, "model");
        this.instance = Objects.requireNonNull(instance, "instance");
        if (!model.endpointClass().isInstance(instance)) {
            throw new IllegalArgumentException(instance.getClass().getName() + " is not an instance of "
                    + model.endpointClass().getName());
        }
    }

    /** The model this adapter follows. */
    public AnnotatedEndpointModel model() {
        return model;
    }

    /** The wrapped endpoint instance. */
    public Object instance() {
        return instance;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        for (MessageMethod method : model.messageMethods()) {
            applyMaxMessageSize(session, method);
            register(session, method);
        }
        // §4.4 (WSC-4.4-1, -2): called once the connection is established, with the new Session.
        model.onOpen().ifPresent(open -> call(open.invoker(), session, CallContext.open(session, config)));
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        // §4.5: WSC-4.5-3, an error thrown by @OnClose goes to the error handling method with the session.
        model.onClose().ifPresent(close -> call(close.invoker(), session, CallContext.close(session, closeReason)));
    }

    @Override
    public void onError(Session session, Throwable thr) {
        LifecycleMethod error = model.onError().orElse(null);
        if (error == null) {
            logUnhandled(session, thr);
            return;
        }
        try {
            error.invoker().invoke(instance, CallContext.error(session, thr)); // §4.6 (WSC-4.6-1, -2)
        } catch (Throwable t) {
            Throwable cause = unwrap(t);
            rethrowIfFatal(cause);
            // §5.2.2 (WSC-5.2.2-4): the error handling method itself failed.
            if (cause != thr) {
                cause.addSuppressed(thr);
            }
            LOG.log(System.Logger.Level.ERROR, () -> "@OnError method " + error + " failed while handling " + thr,
                    cause);
        }
    }

    /**
     * §5.2.2 (WSC-5.2.2-3): without an error handling method the error is made available for later
     * analysis, in the log. What a peer did wrong (a protocol violation, a message too big, a message no
     * decoder accepts) is the peer's business, not an operator's: one short line at DEBUG, without a stack
     * trace, so that hostile peers cannot fill the log (its close code reaches onClose all the same). An
     * exception from the application is logged at WARNING with its stack trace, the first of each
     * session only: a handler that fails on every message would otherwise log once per message.
     */
    private void logUnhandled(Session session, Throwable thr) {
        String endpoint = model.endpointClass().getName();
        if (PeerFaults.isPeerFault(thr)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Session " + session.getId() + " of " + endpoint
                    + ": the peer's data was refused: " + thr);
        } else if (FIRST_ERROR_LOGGED.compareAndSet(this, false, true)) {
            LOG.log(System.Logger.Level.WARNING, () -> "Unhandled error in session " + session.getId()
                    + " of annotated endpoint " + endpoint + " (it has no @OnError method; later errors of"
                    + " this session are logged at DEBUG)", thr);
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "Unhandled error in session " + session.getId()
                    + " of annotated endpoint " + endpoint, thr);
        }
    }

    /** OnMessage#maxMessageSize: applies to whole messages only; -1 in the model means nothing to apply. */
    private static void applyMaxMessageSize(Session session, MessageMethod method) {
        long size = method.maxMessageSize();
        if (size < 0) {
            return;
        }
        if (method.kind() == MessageKind.TEXT) {
            session.setMaxTextMessageBufferSize((int) size);
        } else if (method.kind() == MessageKind.BINARY) {
            session.setMaxBinaryMessageBufferSize((int) size);
        }
    }

    /** §2.1.3: the explicit-class registration, as the type cannot be read from a lambda at run time. */
    @SuppressWarnings("unchecked")
    private <T> void register(Session session, MessageMethod method) {
        Class<T> type = (Class<T>) method.registeredType();
        MethodInvoker invoker = method.invoker();
        if (method.partial()) {
            MessageHandler.Partial<T> handler = (part, last) -> deliver(session, invoker, part, last);
            session.addMessageHandler(type, handler);
        } else {
            MessageHandler.Whole<T> handler = message -> deliver(session, invoker, message, true);
            session.addMessageHandler(type, handler);
        }
    }

    private void deliver(Session session, MethodInvoker invoker, Object message, boolean last) {
        Object result = call(invoker, session, CallContext.message(session, message, last));
        if (result != null) {
            sendReturnValue(session, result);
        }
    }

    /**
     * The OnMessage API documentation: a non-void return value is a message to the peer. String, ByteBuffer and byte[]
     * go out as text or binary; anything else through {@code sendObject}, whose contract covers primitives and boxes
     * (the container's default text form, unless the developer configured an encoder for the type, as OnMessage
     * requires) and encodable objects. A null return sends nothing. A failure to send goes to the error handling
     * method, as the OnMessage documentation says for a session closed during the call.
     */
    private void sendReturnValue(Session session, Object value) {
        try {
            if (session instanceof BreakwaterSession breakwater && breakwater.replyWithRead(value)) {
                return; // written with the replies to the other messages of the same read
            }
            RemoteEndpoint.Basic remote = session.getBasicRemote();
            if (value instanceof String text) {
                remote.sendText(text);
            } else if (value instanceof ByteBuffer bytes) {
                remote.sendBinary(bytes);
            } else if (value instanceof byte[] bytes) {
                remote.sendBinary(ByteBuffer.wrap(bytes));
            } else {
                remote.sendObject(value); // §4.7 (WSC-4.7-3) for primitives and boxes
            }
        } catch (IOException | EncodeException | RuntimeException e) {
            onError(session, e);
        }
    }

    /** Calls an application method; what it throws (or a DecodeException for a path parameter) goes to onError. */
    private Object call(MethodInvoker invoker, Session session, CallContext context) {
        try {
            return invoker.invoke(instance, context);
        } catch (Throwable t) {
            Throwable cause = unwrap(t);
            rethrowIfFatal(cause);
            onError(session, cause); // §5.2.2 (WSC-5.2.2-1, -2)
            return null;
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while (true) {
            Throwable cause;
            if (current instanceof InvocationTargetException ite) {
                cause = ite.getCause();
            } else if (current instanceof UndeclaredThrowableException ute) {
                cause = ute.getCause();
            } else {
                return current;
            }
            if (cause == null) {
                return current;
            }
            current = cause;
        }
    }

    private static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError error) {
            throw error;
        }
    }

    @Override
    public String toString() {
        return "AnnotatedEndpoint[" + model.endpointClass().getName() + "]";
    }
}
