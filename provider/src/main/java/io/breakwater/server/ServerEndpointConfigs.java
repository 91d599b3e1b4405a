package io.breakwater.server;

import jakarta.websocket.Decoder;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Encoder;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds and checks {@link ServerEndpointConfig}s: from a {@code @ServerEndpoint} class (Jakarta
 * WebSocket 4.1), and for a configuration handed to the container programmatically (6.4).
 *
 * <p>This checks the class-level rules only. The rules on {@code @OnOpen}, {@code @OnMessage} and
 * the other method annotations belong elsewhere.
 */
public final class ServerEndpointConfigs {

    private ServerEndpointConfigs() {
    }

    /**
     * The configuration of an annotated server endpoint: its path, subprotocols, encoders and
     * decoders from the annotation, and its configurator: a new instance of the annotation's
     * {@code configurator} class, or a new {@link DefaultServerEndpointConfigurator} when the
     * annotation names none ("the implementation creates a new instance of the configurator per
     * logical endpoint"). The result has no extensions; {@code @ServerEndpoint} has no attribute
     * for them in 2.2.
     *
     * @throws DeploymentException with a message naming the class, if the class has no
     *     {@code @ServerEndpoint}, is not public, is abstract, an interface, an enum or a non-static
     *     inner class, has a malformed path, names a configurator that cannot be instantiated, lacks a
     *     public no-argument constructor while its configurator uses the default
     *     {@code getEndpointInstance}, or lists an encoder or decoder that cannot be instantiated
     *     (4.1, 4.1.1, 4.1.2, 4.1.3, 4.1.5)
     */
    public static ServerEndpointConfig fromAnnotatedClass(Class<?> endpointClass) throws DeploymentException {
        Objects.requireNonNull(endpointClass, "endpointClass");
        ServerEndpoint annotation = endpointClass.getAnnotation(ServerEndpoint.class);
        if (annotation == null) {
            throw new DeploymentException("Cannot deploy " + endpointClass.getName()
                    + " as an annotated server endpoint: it has no @ServerEndpoint annotation"
                    + " (class-level WebSocket annotations are not inherited, Jakarta WebSocket 4.8)");
        }
        checkEndpointClass(endpointClass);
        try {
            UriTemplate.parse(annotation.value());
        } catch (DeploymentException e) {
            throw new DeploymentException("Cannot deploy endpoint " + endpointClass.getName() + ": " + e.getMessage(), e);
        }
        ServerEndpointConfig.Configurator configurator = configurator(endpointClass, annotation.configurator());
        List<Class<? extends Encoder>> encoders = List.of(annotation.encoders());
        List<Class<? extends Decoder>> decoders = List.of(annotation.decoders());
        checkCoders(endpointClass, "encoder", encoders);
        checkCoders(endpointClass, "decoder", decoders);
        checkConstructor(endpointClass, configurator);
        return ServerEndpointConfig.Builder.create(endpointClass, annotation.value())
                .subprotocols(Arrays.asList(annotation.subprotocols()))
                .encoders(encoders)
                .decoders(decoders)
                .configurator(configurator)
                .build();
    }

    /**
     * Checks a configuration given to the container programmatically: its path, its endpoint class
     * (public, concrete, with a public no-argument constructor when the configurator uses the default
     * {@code getEndpointInstance}), its configurator (present), and its encoders and decoders
     * (instantiable). Whether the endpoint class is an {@code Endpoint} or an annotated class is left
     * to the caller.
     *
     * @return the parsed path
     * @throws DeploymentException with a message naming the endpoint class and the rule
     */
    public static UriTemplate validate(ServerEndpointConfig config) throws DeploymentException {
        Objects.requireNonNull(config, "config");
        Class<?> endpointClass = config.getEndpointClass();
        if (endpointClass == null) {
            throw new DeploymentException("Cannot deploy the endpoint at \"" + config.getPath()
                    + "\": its configuration has no endpoint class");
        }
        checkEndpointClass(endpointClass);
        UriTemplate template;
        try {
            template = UriTemplate.parse(config.getPath());
        } catch (DeploymentException e) {
            throw new DeploymentException("Cannot deploy endpoint " + endpointClass.getName() + ": " + e.getMessage(), e);
        }
        ServerEndpointConfig.Configurator configurator = config.getConfigurator();
        if (configurator == null) {
            throw new DeploymentException("Cannot deploy endpoint " + endpointClass.getName()
                    + ": its configuration returns no configurator");
        }
        checkCoders(endpointClass, "encoder", nonNull(config.getEncoders()));
        checkCoders(endpointClass, "decoder", nonNull(config.getDecoders()));
        checkConstructor(endpointClass, configurator);
        return template;
    }

    /**
     * Whether endpoint instances come from the default {@code getEndpointInstance}: the
     * configurator does not override it (the API base class delegates to the container default).
     */
    static boolean usesDefaultInstantiation(ServerEndpointConfig.Configurator configurator) {
        try {
            Class<?> declaring = configurator.getClass().getMethod("getEndpointInstance", Class.class).getDeclaringClass();
            return declaring == ServerEndpointConfig.Configurator.class
                    || declaring == DefaultServerEndpointConfigurator.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError("ServerEndpointConfig.Configurator has getEndpointInstance(Class)", e);
        }
    }

    // ---- checks --------------------------------------------------------------------------------

    /** 4.1: "The class must be public, concrete, and have a public no-args constructor." */
    private static void checkEndpointClass(Class<?> type) throws DeploymentException {
        String problem = concreteTypeProblem(type);
        if (problem != null) {
            throw new DeploymentException("Cannot deploy endpoint " + type.getName() + ": " + problem
                    + " (Jakarta WebSocket 4.1)");
        }
    }

    /** Why {@code type} cannot be instantiated by its public no-argument constructor, or {@code null}. */
    private static String concreteTypeProblem(Class<?> type) {
        int modifiers = type.getModifiers();
        if (type.isAnnotation()) {
            return "it is an annotation type, not a class";
        }
        if (type.isInterface()) {
            return "it is an interface, not a class";
        }
        if (type.isArray() || type.isPrimitive()) {
            return "it is not a class";
        }
        if (type.isEnum()) {
            return "it is an enum, which cannot be instantiated";
        }
        if (Modifier.isAbstract(modifiers)) {
            return "it is abstract";
        }
        if (!Modifier.isPublic(modifiers)) {
            return "it is not public";
        }
        if (type.isMemberClass() && !Modifier.isStatic(modifiers)) {
            return "it is an inner class, which needs an enclosing instance; make it static or top-level";
        }
        return null;
    }

    private static void checkConstructor(Class<?> endpointClass, ServerEndpointConfig.Configurator configurator)
            throws DeploymentException {
        if (!usesDefaultInstantiation(configurator)) {
            return;
        }
        try {
            endpointClass.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new DeploymentException("Cannot deploy endpoint " + endpointClass.getName()
                    + ": it has no public no-argument constructor, which the default configurator uses to create"
                    + " an instance per connection (Jakarta WebSocket 3.1.7, 4.1)", e);
        }
    }

    private static ServerEndpointConfig.Configurator configurator(
            Class<?> endpointClass, Class<? extends ServerEndpointConfig.Configurator> type) throws DeploymentException {
        if (type == null || type == ServerEndpointConfig.Configurator.class) {
            return new DefaultServerEndpointConfigurator();
        }
        String problem = concreteTypeProblem(type);
        if (problem == null) {
            try {
                return type.getConstructor().newInstance();
            } catch (NoSuchMethodException e) {
                problem = "it has no public no-argument constructor";
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw configuratorFailure(endpointClass, type, "its constructor threw " + cause, cause);
            } catch (ReflectiveOperationException | RuntimeException | ExceptionInInitializerError e) {
                throw configuratorFailure(endpointClass, type, e.toString(), e);
            }
        }
        throw configuratorFailure(endpointClass, type, problem, null);
    }

    private static DeploymentException configuratorFailure(
            Class<?> endpointClass, Class<?> configuratorClass, String reason, Throwable cause) {
        return new DeploymentException("Cannot deploy endpoint " + endpointClass.getName()
                + ": cannot create its configurator " + configuratorClass.getName() + ": " + reason
                + " (Jakarta WebSocket 4.1.5)", cause);
    }

    /** 4.1.2, 4.1.3: encoders and decoders "have public no-arg constructors"; one is made per connection. */
    private static void checkCoders(Class<?> endpointClass, String kind, List<? extends Class<?>> coders)
            throws DeploymentException {
        for (Class<?> coder : coders) {
            if (coder == null) {
                throw new DeploymentException("Cannot deploy endpoint " + endpointClass.getName()
                        + ": its " + kind + " list holds null");
            }
            String problem = concreteTypeProblem(coder);
            if (problem == null) {
                try {
                    coder.getConstructor();
                } catch (NoSuchMethodException e) {
                    problem = "it has no public no-argument constructor";
                }
            }
            if (problem != null) {
                throw new DeploymentException("Cannot deploy endpoint " + endpointClass.getName() + ": its "
                        + kind + " " + coder.getName() + " cannot be instantiated: " + problem
                        + " (Jakarta WebSocket 4.1.2, 4.1.3)");
            }
        }
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
