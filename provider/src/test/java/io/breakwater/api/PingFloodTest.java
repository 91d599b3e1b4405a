package io.breakwater.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.protocol.Role;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that floods pings and reads none of the pongs: the session stops reading once its unwritten
 * replies pass the outgoing queue limit, instead of queueing pongs without bound (RFC 6455 §5.5.2
 * answers every ping; nothing obliges us to read faster than the peer reads).
 */
class PingFloodTest {

    private static final long MAX_QUEUED = 4 * 1024;

    private final ExecutorService callbacks = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final MemoryTransport transport = new MemoryTransport();

    @AfterEach
    void stopThreads() {
        callbacks.shutdownNow();
        timers.shutdownNow();
    }

    @Test
    void readingStopsWhilePongsPileUpAndResumesOnceTheyAreWritten() throws Exception {
        SessionSettings defaults = SessionSettings.defaults(CallbackThreads.unlimited(callbacks), timers);
        SessionSettings settings = new SessionSettings(defaults.callbacks(), timers, defaults.maxTextMessageBuffer(),
                defaults.maxBinaryMessageBuffer(), 0, defaults.sendTimeoutMillis(), MAX_QUEUED,
                defaults.closeTimeoutMillis(), defaults.keepalive());
        RecordingEndpoint endpoint = new RecordingEndpoint(session -> { });
        BreakwaterSession session = BreakwaterSession.open(Role.SERVER, settings, null, endpoint,
                ServerEndpointConfig.Builder.create(RecordingEndpoint.class, "/").build(),
                new HandshakeDetails(URI.create("ws://127.0.0.1/"), Map.of(), null, "", List.of(), Map.of()),
                transport, null, new SessionGroup(), getClass().getClassLoader());
        endpoint.next(); // "open"
        awaitOpenNotified(session);

        transport.stall(); // the peer reads nothing from now on
        int pings = 0;
        while (!transport.readingSuspended()) {
            session.onData(maskedPing());
            pings++;
            assertTrue(pings * 127L < 2 * MAX_QUEUED, "reading should have stopped after about "
                    + MAX_QUEUED / 127 + " pongs; " + pings + " were queued");
        }
        assertTrue(transport.queuedBytes() > MAX_QUEUED);
        assertTrue(transport.queuedBytes() <= MAX_QUEUED + 127, "at most one pong past the limit");

        transport.release(); // the peer reads again
        assertFalse(transport.readingSuspended(), "reading resumes once the pongs are written");
    }

    /** onOpen has returned once input is fed to the engine rather than held: a ping then gets its pong. */
    private void awaitOpenNotified(BreakwaterSession session) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (transport.writtenBytes().length == 0) {
            assertTrue(System.nanoTime() < deadline, "no pong to a ping");
            session.onData(maskedPing());
            Thread.sleep(10);
        }
    }

    /** A client's ping with 125 bytes of application data, masked with a zero key (RFC 6455 §5.3). */
    private static ByteBuffer maskedPing() {
        ByteBuffer frame = ByteBuffer.allocate(2 + 4 + 125);
        frame.put((byte) 0x89).put((byte) (0x80 | 125)).putInt(0);
        return frame.position(frame.capacity()).flip();
    }
}
