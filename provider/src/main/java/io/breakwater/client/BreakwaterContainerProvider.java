package io.breakwater.client;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;

/**
 * Found by {@link ContainerProvider#getWebSocketContainer()} through
 * {@code META-INF/services/jakarta.websocket.ContainerProvider}; each call makes a new client container.
 */
public final class BreakwaterContainerProvider extends ContainerProvider {

    @Override
    protected WebSocketContainer getContainer() {
        return new BreakwaterClientContainer();
    }
}
