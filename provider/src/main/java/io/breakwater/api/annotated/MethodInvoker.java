package io.breakwater.api.annotated;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Session;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

/**
 * One annotated method, prepared at deployment: a {@link MethodHandle} of type {@code (Object, Object[])Object} and
 * the source of each argument. A call builds the argument array from a {@link CallContext} and invokes the handle; no
 * reflection happens per call.
 */
final class MethodInvoker {

    private final Method method;
    private final MethodHandle handle;
    private final Argument[] arguments;

    MethodInvoker(Method method, MethodHandle handle, List<Argument> arguments) {
        this.method = method;
        this.handle = handle;
        this.arguments = arguments.toArray(Argument[]::new);
    }

    Method method() {
        return method;
    }

    List<Argument> arguments() {
        return List.of(arguments);
    }

    /**
     * Calls the method on {@code instance}.
     *
     * @return the method's return value, boxed; null for void methods
     * @throws DecodeException when a {@code @PathParam} value cannot be converted; the method is then not called
     *                         (WebSocket 2.2 §4.3, WSC-4.3-6)
     * @throws Throwable       whatever the application method throws, unwrapped
     */
    Object invoke(Object instance, CallContext context) throws Throwable {
        Object[] values = values(context);
        return (Object) handle.invokeExact(instance, values);
    }

    private Object[] values(CallContext context) throws DecodeException {
        Object[] values = new Object[arguments.length];
        Map<String, String> pathParameters = null;
        for (int i = 0; i < arguments.length; i++) {
            Argument argument = arguments[i];
            values[i] = switch (argument.source()) {
                case SESSION -> context.session();
                case ENDPOINT_CONFIG -> context.config();
                case CLOSE_REASON -> context.closeReason();
                case THROWABLE -> context.throwable();
                case MESSAGE -> context.message();
                case LAST -> context.last();
                case PATH_PARAM -> {
                    if (pathParameters == null) {
                        pathParameters = pathParameters(context.session());
                    }
                    yield PathParamConverter.convert(argument.pathName(), pathParameters.get(argument.pathName()),
                            argument.type());
                }
            };
        }
        return values;
    }

    private static Map<String, String> pathParameters(Session session) {
        Map<String, String> parameters = session == null ? null : session.getPathParameters();
        return parameters == null ? Map.of() : parameters;
    }

    @Override
    public String toString() {
        return Describe.method(method);
    }
}
