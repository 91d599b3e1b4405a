package io.breakwater.client;

import io.breakwater.api.CallbackThreads;
import io.breakwater.api.BreakwaterSession;
import io.breakwater.api.ContainerDefaults;
import io.breakwater.api.HandshakeDetails;
import io.breakwater.api.SessionGroup;
import io.breakwater.api.SessionSettings;
import io.breakwater.api.annotated.AnnotatedEndpoint;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Breakwater's client {@link WebSocketContainer}: connects to {@code ws://} and {@code wss://} servers
 * over its own non-blocking transport. One selector thread serves all of a container's connections;
 * application callbacks run on a separate pool of daemon threads, never on the selector thread.
 *
 * <p>The connect timeout is read from the {@link ClientEndpointConfig}'s user property
 * {@value #CONNECT_TIMEOUT_PROPERTY} (milliseconds, default 10 s).
 */
public final class BreakwaterClientContainer extends ContainerDefaults {

    /** User property of a {@link ClientEndpointConfig}: the connect and handshake timeout in milliseconds. */
    public static final String CONNECT_TIMEOUT_PROPERTY = "io.breakwater.client.connectTimeout";
    private static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final AtomicInteger CONTAINERS = new AtomicInteger();

    private final SelectorLoop loop;
    private final ExecutorService callbacks;
    private final ScheduledExecutorService timers;
    private final SessionGroup sessions = new SessionGroup();
    private final Set<Extension> installedExtensions = Set.of(new ExtensionDescription(DeflateNegotiation.EXTENSION_NAME));
    private final DeflateConfig deflateConfig = DeflateConfig.DEFAULTS;

    public BreakwaterClientContainer() {
        this(CONTAINERS.incrementAndGet());
    }

    private BreakwaterClientContainer(int number) {
        this(new SelectorLoop("breakwater-client-" + number + "-io"),
                Executors.newCachedThreadPool(daemonThreads("breakwater-client-" + number + "-callback")),
                Executors.newSingleThreadScheduledExecutor(daemonThreads("breakwater-client-" + number + "-timer")));
    }

    private BreakwaterClientContainer(SelectorLoop loop, ExecutorService callbacks, ScheduledExecutorService timers) {
        super(SessionSettings.defaults(CallbackThreads.unlimited(callbacks), timers));
        this.loop = loop;
        this.callbacks = callbacks;
        this.timers = timers;
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
        ClientHandshake handshake = buildHandshake(config, uri);
        Map<String, List<String>> requestHeaders = headerMap(handshake.request().headers());
        config.getConfigurator().beforeRequest(requestHeaders);
        HttpRequestHead request = new HttpRequestHead(handshake.request().method(), handshake.request().target(),
                handshake.request().version(), httpHeaders(requestHeaders));
        ClassLoader loader = applicationLoader(endpoint);

        long timeoutMillis = connectTimeout(config);
        startLoop();
        InetSocketAddress address = InetSocketAddress.createUnresolved(handshake.host(), handshake.port());
        NioTransport transport;
        try {
            transport = NioTransport.connect(loop, address, Duration.ofMillis(timeoutMillis),
                    handshake.secure() ? sslContext(config) : null, handshake.host()).get();
        } catch (ExecutionException e) {
            throw connectFailure(e.getCause(), uri);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + uri, e);
        }

        ClientHandshaking handshaking = new ClientHandshaking();
        CompletableFuture<BreakwaterSession> opened = new CompletableFuture<>();
        // Registered before the transport starts, so that it runs on the I/O thread as the response
        // completes, before any frame that follows the response is read.
        handshaking.response().whenComplete((response, failure) -> {
            if (failure != null) {
                transport.abort();
                opened.completeExceptionally(failure);
                return;
            }
            try {
                opened.complete(handshaking.handOver(
                        head -> openSession(endpoint, config, uri, handshake, head, transport, loader), response));
            } catch (HandshakeFailure e) {
                transport.abort();
                opened.completeExceptionally(e.getCause());
            } catch (RuntimeException e) {
                transport.abort();
                opened.completeExceptionally(e);
            }
        });
        transport.start(handshaking);
        transport.write(ByteBuffer.wrap(request.encode()), ByteBuffer.allocate(0));
        transport.flush(failure -> {
            if (failure != null) {
                opened.completeExceptionally(failure);
            }
        });

        try {
            return opened.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            transport.abort();
            throw new IOException("no handshake response from " + uri + " within " + timeoutMillis + " ms");
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            transport.abort();
            throw new IOException("interrupted during the handshake with " + uri, e);
        }
    }

    /** Validates the response (RFC 6455 §4.1, RFC 7692 §7.1) and opens the session; on the I/O thread. */
    private BreakwaterSession openSession(Endpoint endpoint, ClientEndpointConfig config, URI uri,
                                          ClientHandshake handshake, HttpResponseHead response,
                                          NioTransport transport, ClassLoader loader) {
        ClientHandshake.Result result;
        MessageExtension deflate = null;
        try {
            result = handshake.validate(response);
            for (ExtensionSpec extension : result.extensions()) {
                if (extension.name().equalsIgnoreCase(DeflateNegotiation.EXTENSION_NAME)) {
                    deflate = DeflateNegotiation.negotiateAsClient(extension, deflateConfig)
                            .newExtension(Role.CLIENT, deflateConfig);
                }
            }
        } catch (HandshakeException e) {
            throw new HandshakeFailure(e);
        } catch (DeflateNegotiationException e) {
            throw new HandshakeFailure(new DeploymentException(
                    "the server's permessage-deflate response is invalid: " + e.getMessage(), e));
        }
        config.getConfigurator().afterResponse(new Response(headerMap(response.headers())));
        List<Extension> extensions = new ArrayList<>();
        for (ExtensionSpec spec : result.extensions()) {
            extensions.add(ExtensionDescription.of(spec));
        }
        HandshakeDetails details = new HandshakeDetails(uri, Map.of(), null,
                result.subprotocol() == null ? "" : result.subprotocol(), extensions, config.getUserProperties());
        return BreakwaterSession.open(Role.CLIENT, sessionSettings(), this, endpoint, config, details, transport, deflate,
                sessions, loader);
    }

    /** Carries a checked handshake failure out of the response callback. */
    private static final class HandshakeFailure extends RuntimeException {
        HandshakeFailure(Exception cause) {
            super(cause.getMessage(), cause);
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

    /** The selector thread starts with the first connection: a container never used holds no thread. */
    private synchronized void startLoop() {
        if (!loop.isRunning()) {
            loop.start();
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

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The server's handshake response as {@code Configurator.afterResponse} sees it. */
    private record Response(Map<String, List<String>> getHeaders) implements HandshakeResponse {
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
