package io.breakwater.samples.echo;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;

/** {@code ws://host/echo}: sends every text and binary message back as it came. */
@ServerEndpoint("/echo")
public class EchoEndpoint {

    @OnMessage(maxMessageSize = 1024 * 1024)
    public String text(String message) {
        return message;
    }

    @OnMessage(maxMessageSize = 1024 * 1024)
    public ByteBuffer binary(ByteBuffer message) {
        return message;
    }
}
