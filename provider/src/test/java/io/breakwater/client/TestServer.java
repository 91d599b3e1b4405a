package io.breakwater.client;

import io.breakwater.api.CallbackThreads;
import io.breakwater.api.BreakwaterSession;
import io.breakwater.api.SessionSettings;
import io.breakwater.handshake.HandshakeException;
import io.breakwater.handshake.HttpHeaders;
import io.breakwater.handshake.HttpRequestHead;
import io.breakwater.handshake.ServerHandshake;
import io.breakwater.server.BreakwaterServerContainer;
import io.breakwater.server.EndpointRegistry;
import io.breakwater.server.ServerUpgrade;
import io.breakwater.transport.NioServer;
import io.breakwater.transport.NioTransport;
import io.breakwater.transport.SelectorLoop;
import io.breakwater.transport.TransportHandler;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * A WebSocket server for tests of the client and the session layer over real loopback sockets, until
 * the servlet integration serves that purpose: Breakwater's NIO transport (in the clear or over TLS),
 * handshake functions, and a {@link BreakwaterServerContainer} for the endpoints, the configurator's
 * decisions ({@link ServerUpgrade}) and the sessions.
 */
final class TestServer implements AutoCloseable {

    private final SelectorLoop loop = new SelectorLoop("test-server-io");
    private final ExecutorService callbacks = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final BreakwaterServerContainer container;
    private final boolean secure;
    private final Semaphore closedConnections = new Semaphore(0);
    private final NioServer server;

    private TestServer(SSLContext sslContext, UnaryOperator<SessionSettings> settings) throws IOException {
        this.container = new BreakwaterServerContainer(settings.apply(SessionSettings.defaults(CallbackThreads.unlimited(callbacks), timers)));
        this.secure = sslContext != null;
        loop.start();
        server = NioServer.bind(loop, new InetSocketAddress("127.0.0.1", 0), sslContext, Handshaking::new);
    }

    /** A server with the given {@code @ServerEndpoint} classes and endpoint configurations. */
    static TestServer start(Object... endpoints) throws Exception {
        return builder().start(endpoints);
    }

    static Builder builder() {
        return new Builder();
    }

    /** Options of a server: TLS, and the settings of its sessions. */
    static final class Builder {
        private SSLContext sslContext;
        private UnaryOperator<SessionSettings> settings = UnaryOperator.identity();

        /** Serves {@code wss://} with this server context. */
        Builder tls(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /** Changes the sessions' settings (send timeout, queue limit, ...) from the defaults. */
        Builder settings(UnaryOperator<SessionSettings> change) {
            this.settings = change;
            return this;
        }

        TestServer start(Object... endpoints) throws Exception {
            TestServer server = new TestServer(sslContext, settings);
            for (Object endpoint : endpoints) {
                if (endpoint instanceof ServerEndpointConfig given) {
                    server.container.addEndpoint(given);
                } else {
                    server.container.addEndpoint((Class<?>) endpoint);
                }
            }
            return server;
        }
    }

    URI uri(String path) {
        return URI.create((secure ? "wss" : "ws") + "://127.0.0.1:" + server.port() + path);
    }

    /** The container whose endpoints, decisions and sessions this server serves. */
    BreakwaterServerContainer container() {
        return container;
    }

    int port() {
        return server.port();
    }

    /** One permit for each connection whose transport has closed, after its session heard of it. */
    Semaphore closedConnections() {
        return closedConnections;
    }

    @Override
    public void close() {
        server.close();
        loop.close();
        callbacks.shutdownNow();
        timers.shutdownNow();
    }

    /** Reads one handshake request, answers it, and hands the connection to a session. */
    private final class Handshaking implements TransportHandler {
        private final NioTransport transport;
        private final HttpRequestHead.Parser parser = HttpRequestHead.parser();
        private TransportHandler session;

        Handshaking(NioTransport transport) {
            this.transport = transport;
        }

        @Override
        public void onData(ByteBuffer data) {
            if (session != null) {
                session.onData(data);
                return;
            }
            try {
                Optional<HttpRequestHead> head = parser.parse(data);
                if (head.isPresent()) {
                    answer(head.get(), data);
                }
            } catch (HandshakeException e) {
                reject(ServerHandshake.Rejected.of(e));
            } catch (Exception e) {
                reject(new ServerHandshake.Rejected(500, String.valueOf(e), new HttpHeaders()));
            }
        }

        private void answer(HttpRequestHead request, ByteBuffer rest) throws Exception {
            ServerHandshake.Outcome outcome = ServerHandshake.validate(request);
            if (outcome instanceof ServerHandshake.Rejected rejected) {
                reject(rejected);
                return;
            }
            ServerHandshake.Accepted accepted = (ServerHandshake.Accepted) outcome;
            URI uri = uri(accepted.target());
            Optional<EndpointRegistry.Match> match = container.find(uri.getRawPath());
            if (match.isEmpty()) {
                reject(new ServerHandshake.Rejected(404, "no endpoint at " + uri.getRawPath(), new HttpHeaders()));
                return;
            }
            ServerRequest handshakeRequest = new ServerRequest(headerMap(accepted.headers()), uri,
                    parameters(uri.getRawQuery()), uri.getRawQuery());
            ServerUpgrade.Result result = container.upgrade(match.get(), accepted, handshakeRequest);
            if (result instanceof ServerUpgrade.Rejection rejection) {
                reject(rejection.toRejected());
                return;
            }
            ServerUpgrade.Acceptance acceptance = (ServerUpgrade.Acceptance) result;
            transport.write(ByteBuffer.wrap(acceptance.response().encode()), ByteBuffer.allocate(0));
            BreakwaterSession opened = acceptance.open(transport, container.sessionSettings(), container,
                    container.group(match.get().config()), getClass().getClassLoader());
            session = opened;
            transport.flush(failure -> { });
            if (rest.hasRemaining()) {
                opened.onData(rest);
            }
        }

        private void reject(ServerHandshake.Rejected rejected) {
            transport.write(ByteBuffer.wrap(ServerHandshake.rejectResponse(rejected)), ByteBuffer.allocate(0));
            transport.close();
        }

        @Override
        public void onEndOfInput() {
            if (session != null) {
                session.onEndOfInput();
            } else {
                transport.close();
            }
        }

        @Override
        public void onClosed(Throwable failure) {
            if (session != null) {
                session.onClosed(failure);
            }
            closedConnections.release();
        }
    }

    private static Map<String, List<String>> headerMap(HttpHeaders headers) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpHeaders.Field field : headers.fields()) {
            map.computeIfAbsent(field.name(), name -> new ArrayList<>()).add(field.value());
        }
        return map;
    }

    private static Map<String, List<String>> parameters(String rawQuery) {
        Map<String, List<String>> parameters = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            }
        }
        return parameters;
    }

    /** The handshake request as {@code modifyHandshake} sees it. */
    private record ServerRequest(Map<String, List<String>> getHeaders, URI getRequestURI,
                                 Map<String, List<String>> getParameterMap, String getQueryString)
            implements HandshakeRequest {
        @Override
        public Principal getUserPrincipal() {
            return null;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }

        @Override
        public Object getHttpSession() {
            return null;
        }
    }
}
