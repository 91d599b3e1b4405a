package io.breakwater.api;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** An endpoint that runs a setup in onOpen and records what happens to it as text events. */
class RecordingEndpoint extends Endpoint {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final Consumer<Session> onOpen;
    volatile Session session;
    volatile Thread callbackThread;

    RecordingEndpoint(Consumer<Session> onOpen) {
        this.onOpen = onOpen;
    }

    /** The endpoint whose session this is. */
    static RecordingEndpoint of(Session session) {
        return (RecordingEndpoint) session.getUserProperties().get(RecordingEndpoint.class.getName());
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        session.getUserProperties().put(RecordingEndpoint.class.getName(), this);
        onOpen.accept(session);
        events.add("open");
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        events.add("close:" + reason.getCloseCode().getCode() + ":" + reason.getReasonPhrase());
    }

    @Override
    public void onError(Session session, Throwable error) {
        events.add("error:" + error.getClass().getSimpleName());
    }

    void record(String event) {
        events.add(event);
    }

    String next() throws InterruptedException {
        String event = events.poll(10, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no event within 10 s");
        }
        return event;
    }

    /** The next event that is not "open". */
    String nextAfterOpen() throws InterruptedException {
        String event = next();
        return event.equals("open") ? next() : event;
    }
}
