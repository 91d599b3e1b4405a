package io.breakwater.api;

import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.Role;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A client session and a server session joined by {@link PipeTransport}s. */
final class SessionPair implements AutoCloseable {
    final ExecutorService callbacks = Executors.newCachedThreadPool();
    final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    final SessionGroup serverGroup = new SessionGroup();
    final BreakwaterSession client;
    final BreakwaterSession server;

    SessionPair(Endpoint clientEndpoint, Endpoint serverEndpoint) {
        this(clientEndpoint, serverEndpoint, List.of(), List.of());
    }

    SessionPair(Endpoint clientEndpoint, Endpoint serverEndpoint, List<Class<? extends Decoder>> decoders,
                List<Class<? extends Encoder>> encoders) {
        this(clientEndpoint, serverEndpoint, decoders, encoders, null, null, 0);
    }

    /**
     * @param clientExtension the client's negotiated extension, or null (so is the server's)
     * @param callbackLimit at most this many callbacks at once, per side; 0 for no limit
     */
    SessionPair(Endpoint clientEndpoint, Endpoint serverEndpoint, List<Class<? extends Decoder>> decoders,
                List<Class<? extends Encoder>> encoders, MessageExtension clientExtension,
                MessageExtension serverExtension, int callbackLimit) {
        PipeTransport[] pipes = PipeTransport.pair();
        SessionSettings settings = SessionSettings.defaults(callbackLimit == 0 ? CallbackThreads.unlimited(callbacks)
                : CallbackThreads.limited(callbacks, callbackLimit), timers);
        EndpointConfig serverConfig = ServerEndpointConfig.Builder.create(serverEndpoint.getClass(), "/test")
                .decoders(decoders).encoders(encoders).build();
        EndpointConfig clientConfig = ClientEndpointConfig.Builder.create()
                .decoders(decoders).encoders(encoders).build();
        URI uri = URI.create("ws://127.0.0.1/test?name=value");
        server = BreakwaterSession.open(Role.SERVER, settings, null, serverEndpoint, serverConfig,
                new HandshakeDetails(uri, Map.of("room", "lobby"), null, "", List.of(), Map.of()),
                pipes[1], serverExtension, serverGroup, getClass().getClassLoader());
        pipes[1].connect(server);
        client = BreakwaterSession.open(Role.CLIENT, settings, null, clientEndpoint, clientConfig,
                new HandshakeDetails(uri, Map.of(), null, "", List.of(), Map.of()),
                pipes[0], clientExtension, new SessionGroup(), getClass().getClassLoader());
        pipes[0].connect(client);
    }

    @Override
    public void close() {
        callbacks.shutdownNow();
        timers.shutdownNow();
    }
}
