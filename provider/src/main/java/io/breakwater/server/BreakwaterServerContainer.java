package io.breakwater.server;

import io.breakwater.api.ContainerDefaults;
import io.breakwater.api.SessionGroup;
import io.breakwater.api.SessionSettings;
import io.breakwater.api.annotated.AnnotatedEndpointModel;
import io.breakwater.client.BreakwaterClientContainer;
import io.breakwater.deflate.DeflateConfig;
import io.breakwater.deflate.DeflateNegotiation;
import io.breakwater.handshake.ServerHandshake;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Breakwater's {@link ServerContainer} (Jakarta WebSocket 2.2 §6.3, §6.4), independent of how
 * connections arrive: it deploys endpoints, holds the {@code WebSocketContainer} defaults for new
 * sessions, makes the configurator's handshake decisions through {@link ServerUpgrade}, and keeps the
 * sessions of each endpoint for {@code Session.getOpenSessions()} and for {@link #shutdown()}.
 *
 * <p>A servlet integration (or any other front end) finds the endpoint with {@link #find}, decides with
 * {@link #upgrade}, and opens the session on its own transport with {@link #sessionSettings()} and
 * {@link #group}. {@link #upgradeHttpToWebSocket} is delegated to the {@link Upgrader} it installs.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class BreakwaterServerContainer extends ContainerDefaults implements ServerContainer {

    /**
     * Performs {@link ServerContainer#upgradeHttpToWebSocket} for the environment the container runs
     * in; the servlet integration provides one.
     */
    @FunctionalInterface
    public interface Upgrader {
        void upgrade(Object httpServletRequest, Object httpServletResponse, ServerEndpointConfig config,
                     Map<String, String> pathParameters) throws IOException, DeploymentException;
    }

    private final EndpointRegistry registry = new EndpointRegistry();
    private final Set<Class<?>> annotatedClasses = ConcurrentHashMap.newKeySet();
    private final Map<ServerEndpointConfig, SessionGroup> groups = new ConcurrentHashMap<>();
    private final List<String> passThroughExtensions = new CopyOnWriteArrayList<>();
    private final DeflateConfig deflateConfig = DeflateConfig.DEFAULTS;
    /** Guarded by {@code this} for changes; {@link #upgrade} is made anew from it and the extensions. */
    private volatile OriginPolicy originPolicy = OriginPolicy.acceptingAll();
    private volatile ServerUpgrade upgrade = new ServerUpgrade(List.of(), deflateConfig);
    private volatile Upgrader upgrader;
    /** The client behind {@code connectToServer}, made on first use, with threads of its own. */
    private volatile BreakwaterClientContainer client;
    /** Set by {@link #shutdown()}: no client is made after it, so none outlives the application. */
    private volatile boolean clientStopped;
    private volatile DeploymentException deploymentFailure;

    /**
     * @param base the executors of the sessions and the limits the {@code WebSocketContainer} does not
     *     expose; its send timeout, idle timeout and buffer sizes are the container's initial defaults
     */
    public BreakwaterServerContainer(SessionSettings base) {
        super(Objects.requireNonNull(base, "base"));
    }

    // ------------------------------------------------------------------------------- deployment

    /**
     * Deploys an annotated endpoint (6.4). Deploying the same class again is ignored; the annotated
     * model is validated at once, so a malformed endpoint fails here.
     *
     * @throws DeploymentException if the class has no {@code @ServerEndpoint}, breaks a rule of
     *     chapter 4 (the message names the class, the method and the rule), its path is equivalent
     *     to a deployed one, or an earlier deployment failed (see {@link #deploy})
     */
    @Override
    public void addEndpoint(Class<?> endpointClass) throws DeploymentException {
        Objects.requireNonNull(endpointClass, "endpointClass");
        deploy(() -> {
            if (endpointClass.getAnnotation(ServerEndpoint.class) == null) {
                throw new DeploymentException("Cannot deploy " + endpointClass.getName()
                        + ": it is not annotated with @ServerEndpoint");
            }
            if (annotatedClasses.contains(endpointClass)) {
                return;
            }
            ServerEndpointConfig config = ServerEndpointConfigs.fromAnnotatedClass(endpointClass);
            AnnotatedEndpointModel.of(endpointClass, AnnotatedEndpointModel.Kind.SERVER, config.getDecoders());
            registry.register(config);
            annotatedClasses.add(endpointClass);
        });
    }

    /**
     * Deploys an endpoint by its configuration: a subclass of {@link Endpoint}, or an annotated
     * class (whose model is validated at once).
     *
     * @throws DeploymentException if the configuration breaks a rule, its path is equivalent to a
     *     deployed one, or an earlier deployment failed (see {@link #deploy})
     */
    @Override
    public void addEndpoint(ServerEndpointConfig config) throws DeploymentException {
        Objects.requireNonNull(config, "config");
        deploy(() -> {
            ServerEndpointConfigs.validate(config);
            if (!Endpoint.class.isAssignableFrom(config.getEndpointClass())) {
                AnnotatedEndpointModel.of(config.getEndpointClass(), AnnotatedEndpointModel.Kind.SERVER,
                        config.getDecoders() == null ? List.of() : config.getDecoders());
            }
            registry.register(config);
        });
    }

    /** One deployment step; it throws before changing anything if the endpoint cannot be deployed. */
    @FunctionalInterface
    private interface DeploymentStep {
        void run() throws DeploymentException;
    }

    /**
     * Runs a deployment step, applying WSC-5.2.1-3: "a deployment error raised during the deployment
     * process must halt the deployment of the application, any well formed endpoints deployed prior to
     * the error being raised must be removed from service and no more WebSocket endpoints from that
     * application may be deployed". The first failure takes every endpoint out of service (requests
     * for them are no longer upgraded) and every later step fails with it as the cause.
     */
    private synchronized void deploy(DeploymentStep step) throws DeploymentException {
        DeploymentException halted = deploymentFailure;
        if (halted != null) {
            throw new DeploymentException("Cannot deploy more endpoints: the deployment of this application"
                    + " was halted by an earlier error (Jakarta WebSocket 2.2 §5.2.1): " + halted.getMessage(),
                    halted);
        }
        try {
            step.run();
        } catch (DeploymentException failure) {
            deploymentFailure = failure;
            throw failure;
        }
    }

    /** The deployed endpoint for a request path (relative to the WebSocket root), with its path parameters. */
    public Optional<EndpointRegistry.Match> find(String requestPath) {
        return deploymentFailure != null ? Optional.empty() : registry.find(requestPath);
    }

    /** The deployed configurations, in deployment order; none once a deployment error halted deployment. */
    public List<ServerEndpointConfig> endpointConfigs() {
        return deploymentFailure != null ? List.of() : registry.configs();
    }

    // ------------------------------------------------------------------------------- handshakes

    /**
     * Installs a pass-through extension: it is listed by {@link #getInstalledExtensions()}, and a
     * client's offer of it is accepted by name, with no parameters and no effect on the frames.
     */
    public synchronized void installExtension(String name) {
        Objects.requireNonNull(name, "name");
        if (name.equalsIgnoreCase(DeflateNegotiation.EXTENSION_NAME) || passThroughExtensions.contains(name)) {
            return;
        }
        passThroughExtensions.add(name);
        upgrade = new ServerUpgrade(passThroughExtensions, deflateConfig, originPolicy);
    }

    /**
     * Sets the origin allow-list: from the next handshake on, one whose {@code Origin} is not listed is
     * answered 403 before the configurator is asked; a listed one still needs the configurator's
     * {@code checkOrigin} (Jakarta WebSocket 2.2 §3.1.4). Without a list (the default) every origin is
     * accepted, as the specification's default {@code checkOrigin} does.
     *
     * <p>Browsers send the origin of the page that opens a connection (RFC 6455 §4.1) and pages cannot
     * change it, so the list keeps the pages of other sites from connecting with the cookies or HTTP
     * authentication of a visitor (RFC 6455 §10.2). A request without {@code Origin} is accepted, since it
     * comes from no browser, and other clients can send any origin. Origins compare by scheme, host and
     * port (RFC 6454 §5): scheme and host ignoring case, a scheme's default port the same as none. The
     * opaque origin {@code null} is refused unless {@code "null"} is listed. The servlet integration sets
     * the list from the context parameter {@code io.breakwater.server.allowedOrigins}.
     *
     * @param origins origins such as {@code https://chat.example.com} or {@code http://localhost:8080}
     *     ({@code scheme://host[:port]}, the host in ASCII, no path), or {@code "null"}; an empty collection
     *     allows none (only clients that send no origin can connect); {@code null} removes the list
     * @throws IllegalArgumentException if an element is not an origin; the list in force is kept
     */
    public synchronized void setAllowedOrigins(Collection<String> origins) {
        OriginPolicy policy = origins == null ? OriginPolicy.acceptingAll() : OriginPolicy.allowing(origins);
        originPolicy = policy;
        upgrade = new ServerUpgrade(passThroughExtensions, deflateConfig, policy);
    }

    /**
     * The origin allow-list in force, each origin normalized (scheme and host in lower case, no default
     * port), or empty when every origin is accepted; see {@link #setAllowedOrigins}.
     */
    public Optional<Set<String>> getAllowedOrigins() {
        return originPolicy.allowed();
    }

    /** The configurator's decisions for one handshake; see {@link ServerUpgrade#decide}. */
    public ServerUpgrade.Result upgrade(EndpointRegistry.Match match, ServerHandshake.Accepted accepted,
                                        HandshakeRequest request) {
        return upgrade.decide(match, accepted, request);
    }

    /**
     * The sessions of one deployed endpoint, for {@code Session.getOpenSessions()}.
     *
     * @param config the deployed (shared) configuration, or a per-connection one
     */
    public SessionGroup group(ServerEndpointConfig config) {
        ServerEndpointConfig shared = config instanceof ConnectionConfig connection ? connection.shared() : config;
        return groups.computeIfAbsent(shared, key -> new SessionGroup());
    }

    /** Installs the environment's {@link #upgradeHttpToWebSocket} (the servlet integration does). */
    public void setUpgrader(Upgrader upgrader) {
        this.upgrader = upgrader;
    }

    /**
     * Upgrades an HTTP request to a WebSocket connection for {@code config} (6.4), through the
     * installed {@link Upgrader}.
     *
     * @throws DeploymentException if none is installed: the container is not running in a servlet container
     */
    @Override
    public void upgradeHttpToWebSocket(Object httpServletRequest, Object httpServletResponse,
                                       ServerEndpointConfig config, Map<String, String> pathParameters)
            throws IOException, DeploymentException {
        Upgrader current = upgrader;
        if (current == null) {
            throw new DeploymentException("Cannot upgrade an HTTP request: this Breakwater server container is not"
                    + " running in a servlet container");
        }
        current.upgrade(httpServletRequest, httpServletResponse, config, pathParameters);
    }

    /**
     * Closes every open session of every endpoint with 1001 (going away), after the messages already
     * queued on it, and waits up to the close timeout for the close handshakes to finish. Then closes the
     * client container behind {@code connectToServer} the same way and stops its threads, so that none
     * of them keeps an undeployed application's class loader reachable; {@code connectToServer} fails
     * from then on.
     *
     * @return true if every session, the client's included, closed within the wait
     */
    public boolean shutdown() {
        boolean serverSessionsClosed = closeServerSessions();
        BreakwaterClientContainer embedded;
        synchronized (this) {
            clientStopped = true;
            embedded = client;
        }
        boolean clientSessionsClosed = embedded == null || embedded.shutdown();
        return serverSessionsClosed && clientSessionsClosed;
    }

    private boolean closeServerSessions() {
        CloseReason reason = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "server shutting down");
        for (SessionGroup group : groups.values()) {
            for (Session session : group.sessions()) {
                try {
                    session.close(reason);
                } catch (IOException | RuntimeException ignored) {
                    // The session is closing or broken already; the others still get their close.
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sessionSettings().closeTimeoutMillis());
        while (groups.values().stream().anyMatch(group -> !group.sessions().isEmpty())) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------- WebSocketContainer

    /** permessage-deflate, then the installed pass-through extensions. */
    @Override
    public Set<Extension> getInstalledExtensions() {
        Set<Extension> installed = new LinkedHashSet<>();
        installed.add(new ServerUpgrade.ServerExtension(DeflateNegotiation.EXTENSION_NAME, List.of()));
        for (String name : new ArrayList<>(passThroughExtensions)) {
            installed.add(new ServerUpgrade.ServerExtension(name, List.of()));
        }
        return java.util.Collections.unmodifiableSet(installed);
    }

    // ------------------------------------------------------------------------------- client side

    private BreakwaterClientContainer client() throws IOException {
        BreakwaterClientContainer current = client;
        if (current == null) {
            synchronized (this) {
                if (clientStopped) {
                    throw new IOException("the server container is shut down: it connects to no server");
                }
                current = client;
                if (current == null) {
                    current = new BreakwaterClientContainer();
                    client = current;
                }
            }
        }
        return current;
    }

    @Override
    public Session connectToServer(Object annotatedEndpointInstance, URI path) throws DeploymentException, IOException {
        return client().connectToServer(annotatedEndpointInstance, path);
    }

    @Override
    public Session connectToServer(Class<?> annotatedEndpointClass, URI path) throws DeploymentException, IOException {
        return client().connectToServer(annotatedEndpointClass, path);
    }

    @Override
    public Session connectToServer(Endpoint endpointInstance, ClientEndpointConfig config, URI path)
            throws DeploymentException, IOException {
        return client().connectToServer(endpointInstance, config, path);
    }

    @Override
    public Session connectToServer(Class<? extends Endpoint> endpointClass, ClientEndpointConfig config, URI path)
            throws DeploymentException, IOException {
        return client().connectToServer(endpointClass, config, path);
    }
}
