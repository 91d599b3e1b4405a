package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A programmatic client endpoint that records what happens to it as strings: {@code open},
 * {@code text:...}, {@code binary:<bytes>}, {@code close:<code>:<reason>}, {@code error:<type>:<message>}.
 * Its {@code onOpen} registers the handlers a test gives (by default one for whole text and one for whole
 * binary messages, which record them).
 */
class RecordingClient extends Endpoint {

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final BiConsumer<Session, RecordingClient> handlers;
    final AtomicInteger closes = new AtomicInteger();
    volatile Session session;
    volatile EndpointConfig config;

    RecordingClient() {
        this((session, self) -> {
            session.addMessageHandler(String.class, text -> self.record("text:" + text));
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) data ->
                    self.record("binary:" + data.remaining()));
        });
    }

    /** @param handlers registers the session's message handlers in {@code onOpen} */
    RecordingClient(BiConsumer<Session, RecordingClient> handlers) {
        this.handlers = handlers;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        this.config = config;
        handlers.accept(session, this);
        record("open");
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        closes.incrementAndGet();
        record("close:" + closeReason.getCloseCode().getCode() + ":" + closeReason.getReasonPhrase());
    }

    @Override
    public void onError(Session session, Throwable thr) {
        record("error:" + thr.getClass().getSimpleName() + ":" + thr.getMessage());
    }

    void record(String event) {
        events.add(event);
    }

    /** The next event, waiting up to 10 s. */
    String next() throws InterruptedException {
        String event = events.poll(10, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no event within 10 s");
        }
        return event;
    }

    /** The next event that is not an error (a closing session may report why before it reports the close). */
    String nextNotError() throws InterruptedException {
        String event;
        do {
            event = next();
        } while (event.startsWith("error:"));
        return event;
    }

    /** Asserts that nothing more happens within {@code millis}: for what must not happen, there is no event to wait for. */
    void assertNothingWithin(long millis) throws InterruptedException {
        assertNull(events.poll(millis, TimeUnit.MILLISECONDS));
    }
}
