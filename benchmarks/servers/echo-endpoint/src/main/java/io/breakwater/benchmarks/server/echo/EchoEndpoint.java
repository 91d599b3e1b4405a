package io.breakwater.benchmarks.server.echo;

import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * {@code ws://host/echo}: every text and binary message goes back whole, as the return value of its
 * handler, so that each provider sends it its own preferred way. The same class is deployed on every
 * Jakarta WebSocket server of the benchmarks; only Tyrus needs a subclass, to name its deflate
 * extension.
 */
@ServerEndpoint("/echo")
public class EchoEndpoint {

    /** Large enough for the 64 KiB scenario with room to spare, and equal for every provider. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** Longer than any run, so that no provider's default idle timeout closes the idle connections. */
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);

    @OnOpen
    public void open(Session session) {
        session.setMaxTextMessageBufferSize(MAX_MESSAGE_BYTES);
        session.setMaxBinaryMessageBufferSize(MAX_MESSAGE_BYTES);
        session.setMaxIdleTimeout(IDLE_TIMEOUT.toMillis());
    }

    @OnMessage
    public String text(String message) {
        return message;
    }

    @OnMessage
    public ByteBuffer binary(ByteBuffer message) {
        return message;
    }
}
