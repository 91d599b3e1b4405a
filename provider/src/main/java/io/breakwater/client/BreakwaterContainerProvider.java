package io.breakwater.client;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;

/**
 * Found by {@link ContainerProvider#getWebSocketContainer()} through
 * {@code META-INF/services/jakarta.websocket.ContainerProvider}. Each call makes a new client container
 * (its own sessions and defaults), and all of them share one set of threads, which leave when idle: a
 * program that asks for a container per connection collects neither threads nor a way to stop them.
 */
public final class BreakwaterContainerProvider extends ContainerProvider {

    @Override
    protected WebSocketContainer getContainer() {
        return BreakwaterClientContainer.withSharedThreads();
    }
}
