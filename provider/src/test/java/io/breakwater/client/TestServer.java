package io.breakwater.client;

import io.breakwater.api.BreakwaterSession;
import io.breakwater.api.HandshakeDetails;
import io.breakwater.api.SessionGroup;
import io.breakwater.api.SessionSettings;
import io.breakwater.api.annotated.AnnotatedEndpointModel;
import io.breakwater.deflate.DeflateConfig;
import io.breakwater.deflate.DeflateNegotiation;
import io.breakwater.handshake.ExtensionSpec;
import io.breakwater.handshake.HandshakeException;
import io.breakwater.handshake.HttpHeaders;
import io.breakwater.handshake.HttpRequestHead;
import io.breakwater.handshake.ServerHandshake;
import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.Role;
import io.breakwater.server.EndpointRegistry;
import io.breakwater.server.ServerEndpointConfigs;
import io.breakwater.transport.NioServer;
import io.breakwater.transport.NioTransport;
import io.breakwater.transport.SelectorLoop;
import io.breakwater.transport.TransportHandler;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A WebSocket server for tests of the client and the session layer over real loopback sockets, until
 * the servlet integration serves that purpose: Breakwater's NIO transport, handshake functions,
 * endpoint registry and sessions, with the default configurator's decisions.
 */
final class TestServer implements AutoCloseable {

    private final SelectorLoop loop = new SelectorLoop("test-server-io");
    private final ExecutorService callbacks = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final EndpointRegistry registry = new EndpointRegistry();
    private final Map<ServerEndpointConfig, SessionGroup> groups = new ConcurrentHashMap<>();
    private final NioServer server;

    private TestServer() throws IOException {
        loop.start();
        server = NioServer.bind(loop, new InetSocketAddress("127.0.0.1", 0), null, Handshaking::new);
    }

    /** A server with the given {@code @ServerEndpoint} classes and endpoint configurations. */
    static TestServer start(Object... endpoints) throws Exception {
        TestServer server = new TestServer();
        for (Object endpoint : endpoints) {
            ServerEndpointConfig config = endpoint instanceof ServerEndpointConfig given ? given
                    : ServerEndpointConfigs.fromAnnotatedClass((Class<?>) endpoint);
            server.registry.register(config);
        }
        return server;
    }

    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
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
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + accepted.target());
            Optional<EndpointRegistry.Match> match = registry.find(uri.getRawPath());
            if (match.isEmpty()) {
                reject(new ServerHandshake.Rejected(404, "no endpoint at " + uri.getRawPath(), new HttpHeaders()));
                return;
            }
            ServerEndpointConfig config = match.get().config();
            ServerEndpointConfig.Configurator configurator = config.getConfigurator();
            if (!configurator.checkOrigin(accepted.origin())) {
                reject(new ServerHandshake.Rejected(403, "origin refused", new HttpHeaders()));
                return;
            }
            String subprotocol = configurator.getNegotiatedSubprotocol(config.getSubprotocols(), accepted.subprotocols());
            Optional<DeflateNegotiation.Agreement> deflate =
                    DeflateNegotiation.negotiateAsServer(accepted.extensions(), DeflateConfig.DEFAULTS);
            List<ExtensionSpec> responseExtensions = deflate.map(agreement -> List.of(agreement.response())).orElse(List.of());
            transport.write(ByteBuffer.wrap(ServerHandshake.acceptResponse(accepted,
                    subprotocol == null || subprotocol.isEmpty() ? null : subprotocol,
                    responseExtensions, new HttpHeaders()).encode()), ByteBuffer.allocate(0));

            Object instance = configurator.getEndpointInstance(config.getEndpointClass());
            Endpoint endpoint = instance instanceof Endpoint programmatic ? programmatic
                    : AnnotatedEndpointModel.of(config.getEndpointClass(), AnnotatedEndpointModel.Kind.SERVER,
                            config.getDecoders()).newEndpoint(instance);
            List<Extension> extensions = new ArrayList<>();
            responseExtensions.forEach(spec -> extensions.add(ExtensionDescription.of(spec)));
            MessageExtension extension = deflate.map(agreement ->
                    agreement.parameters().newExtension(Role.SERVER, DeflateConfig.DEFAULTS)).orElse(null);
            BreakwaterSession opened = BreakwaterSession.open(Role.SERVER, SessionSettings.defaults(callbacks, timers),
                    null, endpoint, config,
                    new HandshakeDetails(uri, match.get().pathParameters(), null,
                            subprotocol == null ? "" : subprotocol, extensions, Map.copyOf(config.getUserProperties())),
                    transport, extension, groups.computeIfAbsent(config, key -> new SessionGroup()),
                    getClass().getClassLoader());
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
        }
    }
}
