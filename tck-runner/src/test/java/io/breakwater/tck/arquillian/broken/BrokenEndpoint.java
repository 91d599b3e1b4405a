package io.breakwater.tck.arquillian.broken;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/** Invalid: an @OnMessage method with two message parameters. */
@ServerEndpoint("/broken")
public class BrokenEndpoint {
    @OnMessage
    public void twoMessages(String first, String second) {
    }
}
