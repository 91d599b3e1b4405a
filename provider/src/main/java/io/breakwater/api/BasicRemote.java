package io.breakwater.api;

import io.breakwater.api.OutboundChannel.Kind;
import jakarta.websocket.EncodeException;
import jakarta.websocket.RemoteEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RemoteEndpoint.Basic}: sends that return once the message is written, or fail after the send
 * timeout. Any number of threads may send at once; messages go out whole and in order.
 */
final class BasicRemote extends Remote implements RemoteEndpoint.Basic {

    /**
     * The messages being sent in parts, by owner. A message sent in parts belongs to whoever sent its first
     * part until its last: the calling thread for {@link #sendText(String, boolean)} and
     * {@link #sendBinary(ByteBuffer, boolean)}, the stream or writer for {@link #getSendStream()} and
     * {@link #getSendWriter()}. Its owner's next parts continue it; a first part or a whole message from
     * anyone else waits its turn in the {@link OutboundChannel}, in order. (One message tracked per remote
     * would take a second thread's first part for the next part of the first thread's message.)
     */
    private final Map<Object, Unfinished> partials = new ConcurrentHashMap<>();

    /** A message being sent in parts: its type, and a high surrogate held back from the end of a text part. */
    private static final class Unfinished {
        final Kind kind;
        char heldSurrogate;

        Unfinished(Kind kind) {
            this.kind = kind;
        }
    }

    BasicRemote(BreakwaterSession session, OutboundChannel channel, Encoders encoders) {
        super(session, channel, encoders);
    }

    @Override
    public void sendText(String text) throws IOException {
        requireNonNull(text, "text");
        send(Kind.TEXT, utf8(text), true, false);
    }

    @Override
    public void sendBinary(ByteBuffer data) throws IOException {
        requireNonNull(data, "data");
        send(Kind.BINARY, data.slice(), true, false);
        consumed(data);
    }

    @Override
    public void sendText(String partialMessage, boolean isLast) throws IOException {
        requireNonNull(partialMessage, "partialMessage");
        sendTextPart(Thread.currentThread(), partialMessage, isLast);
    }

    @Override
    public void sendBinary(ByteBuffer partialByte, boolean isLast) throws IOException {
        requireNonNull(partialByte, "partialByte");
        sendPart(Thread.currentThread(), Kind.BINARY, partialByte.slice(), isLast);
        consumed(partialByte);
    }

    /** One part of a text message of {@code owner}'s. */
    void sendTextPart(Object owner, String partialMessage, boolean isLast) throws IOException {
        Unfinished unfinished = partials.get(owner);
        String part = partialMessage;
        char held = 0;
        if (unfinished != null && unfinished.kind == Kind.TEXT && unfinished.heldSurrogate != 0) {
            part = unfinished.heldSurrogate + partialMessage;
        }
        // A UTF-16 pair must not be cut between two frames: its UTF-8 form is one code point.
        if (!isLast && !part.isEmpty() && Character.isHighSurrogate(part.charAt(part.length() - 1))) {
            held = part.charAt(part.length() - 1);
            part = part.substring(0, part.length() - 1);
        }
        sendPart(owner, Kind.TEXT, utf8(part), isLast);
        Unfinished now = partials.get(owner);
        if (now != null) {
            now.heldSurrogate = held; // only the owner touches its entry
        }
    }

    @Override
    public OutputStream getSendStream() throws IOException {
        return new MessageOutputStream(this);
    }

    @Override
    public Writer getSendWriter() throws IOException {
        return new MessageWriter(this);
    }

    @Override
    public void sendObject(Object data) throws IOException, EncodeException {
        requireNonNull(data, "data");
        Encoders.Encoded encoded = encoders.encode(data);
        if (encoded.isText()) {
            sendText(encoded.text());
        } else {
            sendBinary(encoded.binary());
        }
    }

    /**
     * One part of a message of {@code owner}'s, sent in parts: its first part waits for its turn, the
     * others never do. An owner is used by one thread at a time (a thread, or a stream).
     */
    void sendPart(Object owner, Kind kind, ByteBuffer bytes, boolean isLast) throws IOException {
        Unfinished unfinished = partials.get(owner);
        if (unfinished != null && unfinished.kind != kind) {
            throw new IllegalStateException("a " + (unfinished.kind == Kind.TEXT ? "text" : "binary")
                    + " message is being sent in parts; send its last part first");
        }
        boolean continuation = unfinished != null;
        try {
            send(kind, bytes, isLast, continuation);
        } catch (IOException | RuntimeException e) {
            partials.remove(owner);
            throw e;
        }
        // The part is written (send blocks until it is): the channel now holds this message until its last part.
        if (isLast) {
            partials.remove(owner);
        } else if (unfinished == null) {
            partials.put(owner, new Unfinished(kind));
        }
    }

    private void send(Kind kind, ByteBuffer bytes, boolean last, boolean continuation) throws IOException {
        session.touch();
        channel.sendBlocking(kind, bytes, last, continuation, session.settings().sendTimeoutMillis());
    }

    static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
