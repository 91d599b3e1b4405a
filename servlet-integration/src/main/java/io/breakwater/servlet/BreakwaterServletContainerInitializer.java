package io.breakwater.servlet;

import io.breakwater.api.Keepalive;
import io.breakwater.api.SessionSettings;
import io.breakwater.server.BreakwaterServerContainer;
import io.breakwater.server.EndpointRegistry;
import io.breakwater.server.UriTemplate;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts Breakwater in a web application (Jakarta WebSocket 2.2 §6): creates the
 * {@link BreakwaterServerContainer}, publishes it as the context attribute
 * {@code jakarta.websocket.server.ServerContainer}, deploys the endpoints found by the container's
 * scan (filtered by any {@link ServerApplicationConfig}, §6.2), and installs the upgrade filter and a
 * listener that closes the open sessions with 1001 when the application stops.
 */
@HandlesTypes({ServerEndpoint.class, ServerApplicationConfig.class, Endpoint.class})
public final class BreakwaterServletContainerInitializer implements ServletContainerInitializer {

    /** The context attribute under which the server container is published (§6.4). */
    public static final String CONTAINER_ATTRIBUTE = ServerContainer.class.getName();

    /**
     * Context parameter: names of extensions, comma-separated, that the server accepts when a client
     * offers them, without parameters and without changing the frames (for extensions negotiated by an
     * application, or a front end that implements them). permessage-deflate is always installed.
     */
    public static final String EXTENSIONS_PARAMETER = "io.breakwater.server.extensions";

    /**
     * Context parameter: how many application callbacks (endpoint methods, message and send handlers)
     * may run at once; more wait their turn. Default: a quarter of the container's request pool where
     * it can be read (Jetty's), else 50; at least 1, at most 64 (ServerThreads.defaultCallbackThreads says why).
     */
    public static final String CALLBACK_THREADS_PARAMETER = "io.breakwater.server.callbackThreads";

    /**
     * Context parameter: the bytes a session may have waiting to be written before async sends are
     * refused and reading from its peer pauses (default 4 MiB, {@link SessionSettings#maxQueuedBytes()}).
     */
    public static final String MAX_QUEUED_BYTES_PARAMETER = "io.breakwater.server.maxQueuedBytes";

    /**
     * Context parameter: milliseconds to wait for the peer's part of a close handshake, on stop too,
     * before the connection is dropped (default 5000, {@link SessionSettings#closeTimeoutMillis()}).
     */
    public static final String CLOSE_TIMEOUT_PARAMETER = "io.breakwater.server.closeTimeout";

    /**
     * Context parameter: milliseconds without input from the peer after which a session pings it
     * (default 30000, {@link Keepalive#DEFAULT}; 0 for no pings). A peer that vanished without a FIN or a
     * reset is otherwise never noticed on a connection the server does not write to.
     */
    public static final String KEEPALIVE_INTERVAL_PARAMETER = "io.breakwater.server.keepaliveInterval";

    /**
     * Context parameter: milliseconds the peer has, after a keepalive ping, to send anything at all before
     * the session is closed with 1001 (default 20000).
     */
    public static final String KEEPALIVE_TIMEOUT_PARAMETER = "io.breakwater.server.keepaliveTimeout";

    /**
     * Context parameter: where application callbacks run: {@code pool} (the default: Breakwater's pool,
     * and on Jetty the thread that read the message) or {@code virtual} (a virtual thread per callback,
     * JDK 21 and newer; the callback limit still applies).
     */
    public static final String CALLBACK_EXECUTOR_PARAMETER = "io.breakwater.server.callbackExecutor";

    /**
     * Context parameter: the origins, comma-separated, whose pages may open WebSocket connections, e.g.
     * {@code https://chat.example.com, http://localhost:8080}; a handshake with another {@code Origin} is
     * answered 403 before the configurator's {@code checkOrigin} is asked (both must accept). Not set (the
     * default, or blank): every origin is accepted, as the specification's default {@code checkOrigin}
     * does. A request without {@code Origin} (which no browser sends) is accepted either way; origins
     * compare by scheme, host and port as RFC 6454 §5 says, and {@code null} (the opaque origin) only
     * matches if listed. See {@link BreakwaterServerContainer#setAllowedOrigins}, which sets it in code; an
     * entry that is not an origin ({@code scheme://host[:port]}, no path) fails the deployment.
     */
    public static final String ALLOWED_ORIGINS_PARAMETER = "io.breakwater.server.allowedOrigins";

    /**
     * Context parameter: how an accepted handshake becomes a WebSocket connection, {@code auto} (the default:
     * Jetty's own connection upgrade where Jetty's classes are visible, else {@link HttpServletRequest#upgrade})
     * or {@code servlet} ({@link HttpServletRequest#upgrade} always).
     */
    public static final String UPGRADE_PARAMETER = UpgradeMechanism.PARAMETER;

    @Override
    public void onStartup(Set<Class<?>> scanned, ServletContext context) throws ServletException {
        Object published = context.getAttribute(CONTAINER_ATTRIBUTE);
        if (published != null) {
            // Another implementation's initializer ran first (Tomcat's WsSci); AnotherProvider says why we stop.
            throw new ServletException(AnotherProvider.refusal(context, published));
        }
        ClassLoader loader = context.getClassLoader();
        if (loader == null) {
            loader = Thread.currentThread().getContextClassLoader();
        }
        if (loader == null) {
            loader = BreakwaterServletContainerInitializer.class.getClassLoader();
        }
        int callbackThreads = (int) Math.min(Integer.MAX_VALUE,
                ContextParameters.positive(context, CALLBACK_THREADS_PARAMETER, ServerThreads.defaultCallbackThreads(context)));
        long maxQueuedBytes = ContextParameters.positive(context, MAX_QUEUED_BYTES_PARAMETER,
                SessionSettings.DEFAULT_MAX_QUEUED_BYTES);
        long closeTimeout = ContextParameters.positive(context, CLOSE_TIMEOUT_PARAMETER,
                SessionSettings.DEFAULT_CLOSE_TIMEOUT_MILLIS);
        Keepalive keepalive = keepalive(context);
        ServerThreads threads;
        String executor = context.getInitParameter(CALLBACK_EXECUTOR_PARAMETER);
        if (executor == null || executor.isBlank() || executor.trim().equals("pool")) {
            threads = new ServerThreads(callbackThreads);
        } else if (executor.trim().equals("virtual")) {
            try {
                threads = new ServerThreads(callbackThreads, true);
            } catch (IllegalStateException noVirtualThreads) {
                throw new ServletException(noVirtualThreads.getMessage(), noVirtualThreads);
            }
        } else {
            throw new ServletException("context parameter " + CALLBACK_EXECUTOR_PARAMETER
                    + " is 'pool' or 'virtual', not '" + executor + "'");
        }
        BreakwaterServerContainer container = new BreakwaterServerContainer(
                SessionSettings.defaults(threads.callbacks(), threads.timers())
                        .withMaxQueuedBytes(maxQueuedBytes)
                        .withCloseTimeoutMillis(closeTimeout)
                        .withKeepalive(keepalive));
        context.setAttribute(CONTAINER_ATTRIBUTE, container);
        installExtensions(container, context.getInitParameter(EXTENSIONS_PARAMETER));
        allowOrigins(container, context.getInitParameter(ALLOWED_ORIGINS_PARAMETER));
        context.addListener(new Shutdown(container, threads, closeSessionsWhenJettyStops(context, container)));
        try {
            deploy(container, scanned == null ? Set.of() : scanned);
        } catch (DeploymentException e) {
            throw new ServletException("Deploying the WebSocket endpoints failed: " + e.getMessage(), e);
        } catch (ReflectiveOperationException e) {
            throw new ServletException("A ServerApplicationConfig could not be instantiated: " + e, e);
        }
        BreakwaterUpgradeFilter upgradeFilter =
                new BreakwaterUpgradeFilter(container, threads.transport(), loader, UpgradeMechanism.forContext(context));
        container.setUpgrader((request, response, config, pathParameters) ->
                upgradeFromApplication(upgradeFilter, request, response, config, pathParameters));
        FilterRegistration.Dynamic filter = context.addFilter("breakwater-websocket-upgrade", upgradeFilter);
        filter.setAsyncSupported(true);
        // isMatchAfter = true: after the filter mappings the application declares (web.xml, annotations, or
        // registered on the context before it starts; Servlet 6.1 §6.2.4, FilterRegistration.Dynamic). The
        // upgrade filter answers a handshake without calling the rest of the chain, so a filter after it
        // never sees the handshake: an authentication filter on /* placed after it would let a WebSocket
        // handshake through unauthenticated while refusing a plain GET. After them, a security filter does
        // what it expects to do for every request: it refuses the handshake (401, 403, a redirect) or passes
        // it on, possibly wrapped in an HttpServletRequestWrapper whose getUserPrincipal and isUserInRole
        // the configurator's HandshakeRequest and Session.getUserPrincipal() then report. Tomcat's own
        // WebSocket filter is registered the same way. Both upgrade mechanisms accept a wrapped request:
        // HttpServletRequestWrapper.upgrade delegates to the container's request, and Jetty's
        // ServletContextRequest.getServletContextRequest unwraps it. A filter registered in code with
        // isMatchAfter = false comes before this one too; one registered with isMatchAfter = true once this
        // initializer has run comes after it, and never sees a handshake for a deployed endpoint.
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    }

    /** Sets the container's origin allow-list from the context parameter, when it is set. */
    private static void allowOrigins(BreakwaterServerContainer container, String origins) throws ServletException {
        if (origins == null || origins.isBlank()) {
            return;
        }
        List<String> listed = new ArrayList<>();
        for (String origin : origins.split(",")) {
            if (!origin.isBlank()) {
                listed.add(origin.trim());
            }
        }
        if (listed.isEmpty()) {
            throw new ServletException("Context parameter " + ALLOWED_ORIGINS_PARAMETER + " lists no origin: '"
                    + origins + "'");
        }
        try {
            container.setAllowedOrigins(listed);
        } catch (IllegalArgumentException notAnOrigin) {
            throw new ServletException("Context parameter " + ALLOWED_ORIGINS_PARAMETER + ": "
                    + notAnOrigin.getMessage(), notAnOrigin);
        }
    }

    private static Keepalive keepalive(ServletContext context) throws ServletException {
        long interval = ContextParameters.notNegative(context, KEEPALIVE_INTERVAL_PARAMETER,
                Keepalive.DEFAULT.intervalMillis());
        long timeout = ContextParameters.positive(context, KEEPALIVE_TIMEOUT_PARAMETER,
                Keepalive.DEFAULT.timeoutMillis());
        return interval == 0 ? Keepalive.OFF : new Keepalive(interval, timeout);
    }

    private static void installExtensions(BreakwaterServerContainer container, String names) {
        if (names == null) {
            return;
        }
        for (String name : names.split(",")) {
            if (!name.isBlank()) {
                container.installExtension(name.trim());
            }
        }
    }

    /**
     * On Jetty, closes the sessions as the server begins to stop, before its connectors close
     * ({@link JettyServerStop}); elsewhere the context's destruction does it.
     *
     * @return what undoes it when the context stops first
     */
    private static Runnable closeSessionsWhenJettyStops(ServletContext context, BreakwaterServerContainer container) {
        if (!UpgradeMechanism.JettyMechanism.jettyVisible(context)) {
            return () -> { };
        }
        try {
            Runnable uninstall = JettyServerStop.install(context, container::shutdown);
            return uninstall != null ? uninstall : () -> { };
        } catch (LinkageError | RuntimeException notUsable) {
            return () -> { };
        }
    }

    /** {@code ServerContainer.upgradeHttpToWebSocket} (§6.4), called from a servlet or filter of the application. */
    private static void upgradeFromApplication(BreakwaterUpgradeFilter filter, Object request, Object response,
                                               ServerEndpointConfig config, Map<String, String> pathParameters)
            throws IOException, DeploymentException {
        if (!(request instanceof HttpServletRequest httpRequest)
                || !(response instanceof HttpServletResponse httpResponse)) {
            throw new IllegalArgumentException("upgradeHttpToWebSocket needs an HttpServletRequest and an"
                    + " HttpServletResponse, not " + request + " and " + response);
        }
        EndpointRegistry.Match match = new EndpointRegistry.Match(config, UriTemplate.parse(config.getPath()),
                pathParameters == null ? Map.of() : Map.copyOf(pathParameters));
        try {
            filter.handshake(httpRequest, httpResponse, match);
        } catch (ServletException e) {
            throw new IOException("The upgrade to a WebSocket connection failed: " + e.getMessage(), e);
        }
    }

    /** §6.2: with ServerApplicationConfig classes, deploy what they return; else every annotated endpoint. */
    private static void deploy(BreakwaterServerContainer container, Set<Class<?>> scanned)
            throws DeploymentException, ReflectiveOperationException {
        Set<Class<?>> annotated = new LinkedHashSet<>();
        Set<Class<? extends Endpoint>> programmatic = new LinkedHashSet<>();
        Set<Class<? extends ServerApplicationConfig>> configs = new LinkedHashSet<>();
        for (Class<?> type : scanned) {
            int modifiers = type.getModifiers();
            if (type.isInterface() || Modifier.isAbstract(modifiers) || !Modifier.isPublic(modifiers)) {
                continue;
            }
            if (ServerApplicationConfig.class.isAssignableFrom(type)) {
                configs.add(type.asSubclass(ServerApplicationConfig.class));
            }
            if (type.isAnnotationPresent(ServerEndpoint.class)) {
                annotated.add(type);
            } else if (Endpoint.class.isAssignableFrom(type)) {
                programmatic.add(type.asSubclass(Endpoint.class));
            }
        }
        if (configs.isEmpty()) {
            for (Class<?> type : annotated) {
                container.addEndpoint(type);
            }
            return;
        }
        Set<ServerEndpointConfig> endpointConfigs = new LinkedHashSet<>();
        Set<Class<?>> filtered = new HashSet<>();
        for (Class<? extends ServerApplicationConfig> type : configs) {
            ServerApplicationConfig config = type.getConstructor().newInstance();
            Set<ServerEndpointConfig> given = config.getEndpointConfigs(Set.copyOf(programmatic));
            if (given != null) {
                endpointConfigs.addAll(given);
            }
            Set<Class<?>> kept = config.getAnnotatedEndpointClasses(Set.copyOf(annotated));
            if (kept != null) {
                filtered.addAll(kept);
            }
        }
        for (Class<?> type : annotated) {
            if (filtered.contains(type)) {
                container.addEndpoint(type);
            }
        }
        for (Class<?> type : filtered) {
            if (!annotated.contains(type)) {
                container.addEndpoint(type);
            }
        }
        for (ServerEndpointConfig config : endpointConfigs) {
            container.addEndpoint(config);
        }
    }

    /** Closes the sessions with 1001 when the application stops, then the threads. */
    private static final class Shutdown implements ServletContextListener {
        private final BreakwaterServerContainer container;
        private final ServerThreads threads;
        private final Runnable forgetServerStop;

        Shutdown(BreakwaterServerContainer container, ServerThreads threads, Runnable forgetServerStop) {
            this.container = container;
            this.threads = threads;
            this.forgetServerStop = forgetServerStop;
        }

        @Override
        public void contextInitialized(ServletContextEvent event) {
            // deployed in onStartup
        }

        @Override
        public void contextDestroyed(ServletContextEvent event) {
            forgetServerStop.run();
            container.shutdown();
            threads.shutdown();
        }
    }
}
