package io.breakwater.tck.arquillian.app;

import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

/** A programmatic endpoint of the test web application, deployed by {@link ReverseConfig}. */
public class ReverseEndpoint extends Endpoint {
    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.addMessageHandler(String.class,
                text -> session.getAsyncRemote().sendText(new StringBuilder(text).reverse().toString()));
    }
}
