package io.breakwater.tck.arquillian.app;

import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.HashSet;
import java.util.Set;

/** Deploys every scanned annotated endpoint, and {@link ReverseEndpoint} at /reverse. */
public class ReverseConfig implements ServerApplicationConfig {
    @Override
    public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> scanned) {
        Set<ServerEndpointConfig> configs = new HashSet<>();
        if (scanned.contains(ReverseEndpoint.class)) {
            configs.add(ServerEndpointConfig.Builder.create(ReverseEndpoint.class, "/reverse").build());
        }
        return configs;
    }

    @Override
    public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
        return scanned;
    }
}
