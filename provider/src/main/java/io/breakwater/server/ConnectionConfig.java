package io.breakwater.server;

import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A server endpoint's configuration for one connection: everything is the shared configuration's,
 * except the user properties, which are a copy taken when the handshake began (Jakarta WebSocket 2.2
 * §3.1.5; the API documentation of {@code Session.getUserProperties}), so that {@code modifyHandshake}
 * and the session may change them without touching other connections.
 */
final class ConnectionConfig implements ServerEndpointConfig {
    private final ServerEndpointConfig shared;
    private final Map<String, Object> userProperties;

    ConnectionConfig(ServerEndpointConfig shared) {
        this.shared = shared;
        this.userProperties = new HashMap<>(shared.getUserProperties());
    }

    /** The configuration shared by every connection to the endpoint. */
    ServerEndpointConfig shared() {
        return shared;
    }

    @Override
    public Class<?> getEndpointClass() {
        return shared.getEndpointClass();
    }

    @Override
    public String getPath() {
        return shared.getPath();
    }

    @Override
    public List<String> getSubprotocols() {
        return shared.getSubprotocols();
    }

    @Override
    public List<Extension> getExtensions() {
        return shared.getExtensions();
    }

    @Override
    public Configurator getConfigurator() {
        return shared.getConfigurator();
    }

    @Override
    public List<Class<? extends Encoder>> getEncoders() {
        return shared.getEncoders();
    }

    @Override
    public List<Class<? extends Decoder>> getDecoders() {
        return shared.getDecoders();
    }

    @Override
    public Map<String, Object> getUserProperties() {
        return userProperties;
    }
}
