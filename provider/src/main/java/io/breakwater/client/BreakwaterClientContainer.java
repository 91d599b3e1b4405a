package io.breakwater.client;

import io.breakwater.api.CallbackThreads;
import io.breakwater.api.BreakwaterSession;
import io.breakwater.api.ContainerDefaults;
import io.breakwater.api.HandshakeDetails;
import io.breakwater.api.SessionGroup;
import io.breakwater.api.SessionSettings;
import io.breakwater.api.annotated.AnnotatedEndpointModel;
import io.breakwater.deflate.DeflateConfig;
import io.breakwater.deflate.DeflateNegotiation;
import io.breakwater.deflate.DeflateNegotiationException;
import io.breakwater.handshake.ClientHandshake;
import io.breakwater.handshake.ExtensionSpec;
import io.breakwater.handshake.HandshakeException;
import io.breakwater.handshake.HttpHeaders;
import io.breakwater.handshake.HttpRequestHead;
import io.breakwater.handshake.HttpResponseHead;
import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.Role;
import io.breakwater.transport.NioTransport;
import io.breakwater.transport.SelectorLoop;
import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Breakwater's client {@link WebSocketContainer}: connects to {@code ws://} and {@code wss://} servers
 * over its own non-blocking transport.
 *
 * <p><b>Threads.</b> A selector thread does the connections' I/O, parses and validates the handshake
 * responses and feeds the sessions' input, and never runs application code. Application code (the
 * configurator's {@code afterResponse}, decoders' and encoders' {@code init}, endpoint and handler
 * methods) runs on callback threads, and a timer keeps the sessions' deadlines. Containers from
 * {@link #withSharedThreads()} (what {@code ContainerProvider} hands out) share one set of these
 * threads in the JVM, whose threads leave after a few seconds without work and come back on demand;
 * a container made with {@link #BreakwaterClientContainer()} has its own, which {@link #close()}
 * stops.
 *
 * <p><b>Closing.</b> {@link #close()} (or {@link #shutdown()}, which says whether it all went in time)
 * closes every session of the container with 1001 (going away), waits up to the close timeout for the
 * close handshakes, aborts what is left, and then stops the container's own threads. Connecting
 * afterwards fails with an {@link IOException}.
 *
 * <p>The connect timeout is read from the {@link ClientEndpointConfig}'s user property
 * {@value #CONNECT_TIMEOUT_PROPERTY} (milliseconds, default 10 s); it applies to the TCP connection
 * and TLS handshake, and again to the opening handshake with the opening of the session.
 *
 * <p><b>Keepalive.</b> A session pings its server after 30 s without input and closes when nothing
 * arrives within 20 s of the ping ({@link io.breakwater.api.Keepalive#DEFAULT}): a server that vanished
 * without a FIN or a reset is noticed. {@link #setDefaultKeepalive} changes it for the container, the
 * user properties {@value io.breakwater.api.Keepalive#INTERVAL_PROPERTY} and
 * {@value io.breakwater.api.Keepalive#TIMEOUT_PROPERTY} (milliseconds, 0 for none) for one endpoint.
 */
public final class BreakwaterClientContainer extends ContainerDefaults implements AutoCloseable {

    /** User property of a {@link ClientEndpointConfig}: the connect and handshake timeout in milliseconds. */
    public static final String CONNECT_TIMEOUT_PROPERTY = "io.breakwater.client.connectTimeout";
    private static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
    /** How often {@link #shutdown()} looks whether the sessions have closed. */
    private static final long CLOSE_POLL_MILLIS = 10;

    private final ClientThreads threads;
    private final SessionGroup sessions = new SessionGroup();
    /** Connections from the handshake request until their transport has closed. */
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Extension> installedExtensions = Set.of(new ExtensionDescription(DeflateNegotiation.EXTENSION_NAME));
    private final DeflateConfig deflateConfig = DeflateConfig.DEFAULTS;
    private volatile boolean closed;

    /**
     * A container with threads of its own ({@code breakwater-client-N-…}), started with its first
     * connection and stopped by {@link #close()}.
     */
    public BreakwaterClientContainer() {
        this(ClientThreads.own());
    }

    /**
     * A container with I/O threads of its own, whose application callbacks (endpoint methods, message
     * handlers, configurators' {@code afterResponse}) run on {@code callbacks}: virtual
     * threads, for example ({@code Executors.newVirtualThreadPerTaskExecutor()} on JDK 21 and newer).
     * Send handlers run on {@link io.breakwater.api.CompletionThreads}, never waiting for a callback to
     * end. The executor stays the caller's: {@link #close()} does not shut it down.
     */
    public BreakwaterClientContainer(Executor callbacks) {
        this(ClientThreads.own(), Objects.requireNonNull(callbacks, "callbacks"));
    }

    private BreakwaterClientContainer(ClientThreads threads) {
        this(threads, threads.callbacks());
    }

    private BreakwaterClientContainer(ClientThreads threads, Executor callbacks) {
        super(SessionSettings.defaults(CallbackThreads.unlimited(callbacks), threads.timers()));
        this.threads = threads;
    }

    /**
     * A container on the threads that every such container in the JVM shares, which leave when idle:
     * what {@code ContainerProvider.getWebSocketContainer()} returns. Closing it closes its sessions
     * and leaves the shared threads alone.
     */
    public static BreakwaterClientContainer withSharedThreads() {
        return new BreakwaterClientContainer(ClientThreads.shared());
    }

    // -------------------------------------------------------------------------------- connecting

    @Override
    public Session connectToServer(Object annotatedEndpointInstance, URI path) throws DeploymentException, IOException {
        if (annotatedEndpointInstance == null) {
            throw new DeploymentException("the endpoint instance is null");
        }
        Class<?> type = annotatedEndpointInstance.getClass();
        AnnotatedEndpointModel model = annotatedModel(type);
        return connect(model.newEndpoint(annotatedEndpointInstance), annotatedConfig(type), path);
    }

    @Override
    public Session connectToServer(Class<?> annotatedEndpointClass, URI path) throws DeploymentException, IOException {
        AnnotatedEndpointModel model = annotatedModel(annotatedEndpointClass);
        return connect(model.newEndpoint(instantiate(annotatedEndpointClass)), annotatedConfig(annotatedEndpointClass), path);
    }

    @Override
    public Session connectToServer(Endpoint endpointInstance, ClientEndpointConfig config, URI path)
            throws DeploymentException, IOException {
        if (endpointInstance == null) {
            throw new DeploymentException("the endpoint instance is null");
        }
        return connect(endpointInstance, config == null ? ClientEndpointConfig.Builder.create().build() : config, path);
    }

    @Override
    public Session connectToServer(Class<? extends Endpoint> endpointClass, ClientEndpointConfig config, URI path)
            throws DeploymentException, IOException {
        return connectToServer(instantiate(endpointClass), config, path);
    }

    private AnnotatedEndpointModel annotatedModel(Class<?> type) throws DeploymentException {
        if (type == null || !type.isAnnotationPresent(ClientEndpoint.class)) {
            throw new DeploymentException((type == null ? "null" : type.getName()) + " is not annotated with @ClientEndpoint");
        }
        return AnnotatedEndpointModel.of(type, AnnotatedEndpointModel.Kind.CLIENT,
                Arrays.asList(type.getAnnotation(ClientEndpoint.class).decoders()));
    }

    private static ClientEndpointConfig annotatedConfig(Class<?> type) throws DeploymentException {
        ClientEndpoint annotation = type.getAnnotation(ClientEndpoint.class);
        ClientEndpointConfig.Builder builder = ClientEndpointConfig.Builder.create()
                .preferredSubprotocols(Arrays.asList(annotation.subprotocols()))
                .decoders(Arrays.asList(annotation.decoders()))
                .encoders(Arrays.asList(annotation.encoders()));
        if (annotation.configurator() != ClientEndpointConfig.Configurator.class) {
            builder.configurator(instantiate(annotation.configurator()));
        }
        return builder.build();
    }

    private static <T> T instantiate(Class<T> type) throws DeploymentException {
        if (type == null) {
            throw new DeploymentException("the endpoint class is null");
        }
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new DeploymentException("cannot create an instance of " + type.getName()
                    + " with its public no-arg constructor: " + e, e);
        }
    }

    /** The opening handshake (RFC 6455 §4.1), then the session. */
    private Session connect(Endpoint endpoint, ClientEndpointConfig config, URI uri)
            throws DeploymentException, IOException {
        ensureOpen();
        ClientHandshake handshake = buildHandshake(config, uri);
        Map<String, List<String>> requestHeaders = headerMap(handshake.request().headers());
        config.getConfigurator().beforeRequest(requestHeaders);
        HttpRequestHead request = new HttpRequestHead(handshake.request().method(), handshake.request().target(),
                handshake.request().version(), httpHeaders(requestHeaders));
        ClassLoader loader = applicationLoader(endpoint);
        SessionSettings settings = sessionSettings();
        long timeoutMillis = connectTimeout(config);
        try {
            settings.keepalive().with(config.getUserProperties()); // the session takes them up once open
        } catch (IllegalArgumentException badProperty) {
            throw new DeploymentException(badProperty.getMessage(), badProperty);
        }

        OnDemandLoop loops = threads.loop();
        SelectorLoop loop = loops.acquire();
        NioTransport transport;
        try {
            transport = establish(loop, handshake, config, uri, timeoutMillis);
        } finally {
            // Established, the transport's channel keeps the loop in use; until then this attempt did.
            loops.attemptDone();
        }
        ClientConnection connection = new ClientConnection(transport, loop, settings.callbacks(),
                response -> checkResponse(response, endpoint, config, uri, handshake, settings, transport, loader),
                connections::remove);
        connections.add(connection);
        if (closed) {
            // shutdown() may have looked at the connections before this one was added: it would not wait for it.
            connections.remove(connection);
            transport.abort();
            throw closedFailure();
        }
        transport.start(connection);
        transport.write(ByteBuffer.wrap(request.encode()), ByteBuffer.allocate(0));
        transport.flush(failure -> {
            if (failure != null) {
                connection.opened().completeExceptionally(failure);
            }
        });
        return awaitOpened(connection, uri, timeoutMillis);
    }

    /** TCP, and TLS for {@code wss://}; an interrupted wait abandons the attempt. */
    private static NioTransport establish(SelectorLoop loop, ClientHandshake handshake, ClientEndpointConfig config,
                                          URI uri, long timeoutMillis) throws IOException {
        SSLContext tls = handshake.secure() ? sslContext(config) : null;
        InetSocketAddress address = InetSocketAddress.createUnresolved(handshake.host(), handshake.port());
        CompletableFuture<NioTransport> connecting =
                NioTransport.connect(loop, address, Duration.ofMillis(timeoutMillis), tls, handshake.host());
        try {
            return connecting.get();
        } catch (ExecutionException e) {
            throw connectFailure(e.getCause(), uri);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!connecting.cancel(false)) {
                connecting.thenAccept(NioTransport::abort); // established just now: nobody will use it
            }
            throw new IOException("interrupted while connecting to " + uri, e);
        }
    }

    /** Waits for the handshake response and the session; whatever ends the wait early aborts the connection. */
    private static Session awaitOpened(ClientConnection connection, URI uri, long timeoutMillis)
            throws DeploymentException, IOException {
        CompletableFuture<BreakwaterSession> opened = connection.opened();
        try {
            return opened.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            IOException timedOut = new IOException("the handshake with " + uri + " did not complete within "
                    + timeoutMillis + " ms");
            giveUp(connection, timedOut);
            throw timedOut;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IOException interrupted = new IOException("interrupted during the handshake with " + uri, e);
            giveUp(connection, interrupted);
            throw interrupted;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HandshakeException rejected) {
                throw new DeploymentException("the handshake with " + uri + " failed"
                        + (rejected.status() > 0 ? " (HTTP " + rejected.status() + ")" : "") + ": "
                        + rejected.getMessage(), rejected);
            }
            if (cause instanceof DeploymentException deployment) {
                throw deployment;
            }
            throw asIOException(cause, "the handshake with " + uri + " failed");
        }
    }

    /**
     * Fails the opening before aborting, so that an opening not yet begun does not begin. One that ended
     * a moment ago has its session closed by the abort, which its endpoint hears as 1006.
     */
    private static void giveUp(ClientConnection connection, IOException why) {
        connection.opened().completeExceptionally(why);
        connection.abort();
    }

    /**
     * Validates the server's response (RFC 6455 §4.1, RFC 7692 §7.1): on the selector thread, so no
     * application code. Returns the opening of the session, which runs on a callback thread.
     */
    private Callable<BreakwaterSession> checkResponse(HttpResponseHead response, Endpoint endpoint,
                                                      ClientEndpointConfig config, URI uri, ClientHandshake handshake,
                                                      SessionSettings settings, NioTransport transport,
                                                      ClassLoader loader)
            throws HandshakeException, DeploymentException {
        ClientHandshake.Result result = handshake.validate(response);
        MessageExtension deflate = null;
        for (ExtensionSpec extension : result.extensions()) {
            if (extension.name().equalsIgnoreCase(DeflateNegotiation.EXTENSION_NAME)) {
                try {
                    deflate = DeflateNegotiation.negotiateAsClient(extension, deflateConfig)
                            .newExtension(Role.CLIENT, deflateConfig);
                } catch (DeflateNegotiationException e) {
                    throw new DeploymentException(
                            "the server's permessage-deflate response is invalid: " + e.getMessage(), e);
                }
            }
        }
        MessageExtension agreed = deflate;
        return () -> openSession(response, result, agreed, endpoint, config, uri, settings, transport, loader);
    }

    /**
     * {@code afterResponse}, then the session, whose creation initialises its decoders and encoders: on a
     * callback thread, with the application's class loader, like every other piece of application code.
     */
    private BreakwaterSession openSession(HttpResponseHead response, ClientHandshake.Result result,
                                          MessageExtension deflate, Endpoint endpoint, ClientEndpointConfig config,
                                          URI uri, SessionSettings settings, NioTransport transport,
                                          ClassLoader loader) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            config.getConfigurator().afterResponse(new Response(headerMap(response.headers())));
            List<Extension> extensions = new ArrayList<>();
            for (ExtensionSpec spec : result.extensions()) {
                extensions.add(ExtensionDescription.of(spec));
            }
            HandshakeDetails details = new HandshakeDetails(uri, Map.of(), null,
                    result.subprotocol() == null ? "" : result.subprotocol(), extensions, config.getUserProperties());
            if (closed) {
                // A session opened now could miss the close that shutdown() sends to every session.
                throw closedFailure();
            }
            return BreakwaterSession.open(Role.CLIENT, settings, this, endpoint, config, details, transport, deflate,
                    sessions, loader);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private ClientHandshake buildHandshake(ClientEndpointConfig config, URI uri) throws DeploymentException {
        if (uri == null) {
            throw new DeploymentException("the URI is null");
        }
        List<ExtensionSpec> offers = new ArrayList<>();
        for (Extension extension : config.getExtensions()) {
            if (extension.getName().equalsIgnoreCase(DeflateNegotiation.EXTENSION_NAME)) {
                // Our offer, with the parameters we can honour (RFC 7692 §7.1).
                offers.add(DeflateNegotiation.clientOffer(deflateConfig));
            } else {
                offers.add(ExtensionDescription.toSpec(extension));
            }
        }
        try {
            return ClientHandshake.builder(uri)
                    .subprotocols(config.getPreferredSubprotocols())
                    .extensions(offers)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new DeploymentException("cannot connect to " + uri + ": " + e.getMessage(), e);
        }
    }

    private static ClassLoader applicationLoader(Endpoint endpoint) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : endpoint.getClass().getClassLoader();
    }

    private static long connectTimeout(ClientEndpointConfig config) {
        Object value = config.getUserProperties().get(CONNECT_TIMEOUT_PROPERTY);
        if (value instanceof Number number && number.longValue() > 0) {
            return number.longValue();
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                // fall through to the default
            }
        }
        return DEFAULT_CONNECT_TIMEOUT_MILLIS;
    }

    private static SSLContext sslContext(ClientEndpointConfig config) throws IOException {
        SSLContext context = config.getSSLContext();
        if (context != null) {
            return context;
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no default TLS context for wss://", e);
        }
    }

    /**
     * Why the connection could not be made. A TLS failure keeps its type but names the server: the JDK's
     * own messages ("PKIX path building failed: ... unable to find valid certification path to requested
     * target") do not say which connection they are about.
     */
    private static IOException connectFailure(Throwable cause, URI uri) {
        if (cause instanceof SSLException tls) {
            SSLHandshakeException named = new SSLHandshakeException("the TLS handshake with " + uri + " failed: "
                    + tls.getMessage());
            named.initCause(tls);
            return named;
        }
        return asIOException(cause, "cannot connect to " + uri);
    }

    private static IOException asIOException(Throwable cause, String message) {
        if (cause instanceof IOException io) {
            return io;
        }
        return new IOException(message + ": " + cause, cause);
    }

    /** Header fields as the Jakarta API hands them to configurators: names case-insensitive, values in order. */
    private static Map<String, List<String>> headerMap(HttpHeaders headers) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpHeaders.Field field : headers.fields()) {
            map.computeIfAbsent(field.name(), name -> new ArrayList<>()).add(field.value());
        }
        return map;
    }

    private static HttpHeaders httpHeaders(Map<String, List<String>> map) {
        HttpHeaders headers = new HttpHeaders();
        map.forEach((name, values) -> {
            for (String value : values) {
                headers.add(name, value);
            }
        });
        return headers;
    }

    /** The server's handshake response as {@code Configurator.afterResponse} sees it. */
    private record Response(Map<String, List<String>> getHeaders) implements HandshakeResponse {
    }

    // ---------------------------------------------------------------------------------------- closing

    /**
     * Closes every session of the container with 1001 (going away), after what is queued on it, waits up
     * to the close timeout for their close handshakes, aborts the connections still open then (and the
     * handshakes still under way), and stops the container's own threads, which end once the callbacks
     * already queued (the sessions' {@code onClose} among them) have run. Connecting afterwards fails.
     * Shared threads are left alone: they leave when idle. Calling it again does no harm.
     *
     * <p>Called from one of this container's callbacks, the wait lasts the whole close timeout, since the
     * session of that callback cannot report its close before the callback returns.
     *
     * @return true if every session closed within the close timeout
     */
    public boolean shutdown() {
        closed = true;
        CloseReason reason = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "client container closed");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sessionSettings().closeTimeoutMillis());
        boolean inTime = true;
        while (!sessions.sessions().isEmpty() || !connections.isEmpty()) {
            // Again on each turn: a session whose opening was under way joins after the first turn. A
            // close already begun is not begun again.
            closeAll(reason);
            if (System.nanoTime() - deadline >= 0) {
                inTime = false;
                break;
            }
            try {
                Thread.sleep(CLOSE_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                inTime = false;
                break;
            }
        }
        for (ClientConnection connection : connections) {
            connection.abort();
        }
        threads.stop();
        return inTime;
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    private void closeAll(CloseReason reason) {
        for (Session session : sessions.sessions()) {
            try {
                session.close(reason);
            } catch (IOException | RuntimeException ignored) {
                // closing or broken already; the others still get their close
            }
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw closedFailure();
        }
    }

    private static IOException closedFailure() {
        return new IOException("the client container is closed");
    }

    // ----------------------------------------------------------------------------- container settings

    @Override
    public Set<Extension> getInstalledExtensions() {
        return installedExtensions;
    }

    /** The sessions this container opened that are still open. */
    Set<Session> openSessions() {
        return sessions.openSessions();
    }
}
