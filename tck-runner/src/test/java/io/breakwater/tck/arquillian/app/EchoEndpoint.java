package io.breakwater.tck.arquillian.app;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/** An annotated endpoint of the test web application. */
@ServerEndpoint("/echo")
public class EchoEndpoint {
    @OnMessage
    public String echo(String message) {
        return "echo:" + message;
    }
}
