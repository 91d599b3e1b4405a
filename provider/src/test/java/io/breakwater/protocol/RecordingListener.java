package io.breakwater.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Records what a connection reports. {@link #events()} is the raw sequence, one event per listener
 * call; {@link #merged()} merges consecutive data pieces of one message (a control event in between
 * ends a run); {@link #messages()} shows each data message once, whole, at the point it completed.
 */
final class RecordingListener implements ConnectionListener {

    /** A raw listener call. */
    sealed interface Event permits TextPiece, BinaryPiece, Ping, Pong, Failed, Closed {
    }

    /** An element of the {@link #merged()} or {@link #messages()} views. */
    sealed interface Item permits Data, Message, Ping, Pong, Failed, Closed {
    }

    record TextPiece(Blob data, boolean last) implements Event {
    }

    record BinaryPiece(Blob data, boolean last) implements Event {
    }

    record Ping(Blob data) implements Event, Item {
    }

    record Pong(Blob data) implements Event, Item {
    }

    record Failed(Violation violation) implements Event, Item {
    }

    record Closed(CloseStatus status) implements Event, Item {
    }

    /** Consecutive pieces of one message; {@code last} when the run ended the message. */
    record Data(boolean text, Blob data, boolean last) implements Item {
    }

    /** A whole data message. */
    record Message(boolean text, Blob data) implements Item {
        static Message text(String text) {
            return new Message(true, Blob.utf8(text));
        }

        static Message binary(byte[] data) {
            return new Message(false, Blob.of(data));
        }
    }

    private final List<Event> events = new ArrayList<>();
    private int closeCount;
    private ProtocolException lastError;
    private Consumer<Event> hook = event -> { };

    /** Runs {@code hook} inside each listener call, after the event is recorded. */
    void onEvent(Consumer<Event> hook) {
        this.hook = hook;
    }

    @Override
    public void onText(ByteBuffer utf8, boolean last) {
        record(new TextPiece(Blob.copyOf(utf8), last));
    }

    @Override
    public void onBinary(ByteBuffer data, boolean last) {
        record(new BinaryPiece(Blob.copyOf(data), last));
    }

    @Override
    public void onPing(ByteBuffer payload) {
        record(new Ping(Blob.copyOf(payload)));
    }

    @Override
    public void onPong(ByteBuffer payload) {
        record(new Pong(Blob.copyOf(payload)));
    }

    @Override
    public void onProtocolError(ProtocolException error) {
        lastError = error;
        record(new Failed(error.violation()));
    }

    @Override
    public void onClose(CloseStatus status) {
        closeCount++;
        record(new Closed(status));
    }

    private void record(Event event) {
        events.add(event);
        hook.accept(event);
    }

    List<Event> events() {
        return events;
    }

    int closeCount() {
        return closeCount;
    }

    ProtocolException lastError() {
        return lastError;
    }

    /** The close status reported, or null when onClose was not called. */
    CloseStatus closeStatus() {
        for (Event event : events) {
            if (event instanceof Closed closed) {
                return closed.status();
            }
        }
        return null;
    }

    /** Whether any data piece was delivered. */
    boolean anyData() {
        return events.stream().anyMatch(e -> e instanceof TextPiece || e instanceof BinaryPiece);
    }

    /** Consecutive data pieces merged; a run ends at the message's last piece or at any other event. */
    List<Item> merged() {
        List<Item> items = new ArrayList<>();
        ByteArrayOutputStream run = null;
        boolean runText = false;
        for (Event event : events) {
            boolean text = event instanceof TextPiece;
            if (text || event instanceof BinaryPiece) {
                Blob data = text ? ((TextPiece) event).data() : ((BinaryPiece) event).data();
                boolean last = text ? ((TextPiece) event).last() : ((BinaryPiece) event).last();
                if (run != null && runText != text) {
                    throw new AssertionError("text and binary pieces interleaved: " + events);
                }
                if (run == null) {
                    run = new ByteArrayOutputStream();
                    runText = text;
                }
                data.writeTo(run);
                if (last) {
                    items.add(new Data(runText, Blob.owning(run.toByteArray()), true));
                    run = null;
                }
            } else {
                if (run != null) {
                    items.add(new Data(runText, Blob.owning(run.toByteArray()), false));
                    run = null;
                }
                items.add((Item) event);
            }
        }
        if (run != null) {
            items.add(new Data(runText, Blob.owning(run.toByteArray()), false));
        }
        return items;
    }

    /** Whole messages at the point they completed, with the control events; unfinished messages are left out. */
    List<Item> messages() {
        List<Item> items = new ArrayList<>();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        for (Event event : events) {
            if (event instanceof TextPiece piece) {
                piece.data().writeTo(message);
                if (piece.last()) {
                    items.add(new Message(true, Blob.owning(message.toByteArray())));
                    message.reset();
                }
            } else if (event instanceof BinaryPiece piece) {
                piece.data().writeTo(message);
                if (piece.last()) {
                    items.add(new Message(false, Blob.owning(message.toByteArray())));
                    message.reset();
                }
            } else {
                items.add((Item) event);
            }
        }
        return items;
    }

    /** The data messages only, whole. */
    List<Message> dataMessages() {
        List<Message> result = new ArrayList<>();
        for (Item item : messages()) {
            if (item instanceof Message message) {
                result.add(message);
            }
        }
        return result;
    }

    void clear() {
        events.clear();
    }
}
