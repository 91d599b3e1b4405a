package io.breakwater.api;

import io.breakwater.api.OutboundChannel.Kind;
import jakarta.websocket.EncodeException;
import jakarta.websocket.RemoteEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@link RemoteEndpoint.Basic}: sends that return once the message is written, or fail after the send
 * timeout. Any number of threads may send at once; messages go out whole and in order.
 */
final class BasicRemote extends Remote implements RemoteEndpoint.Basic {

    /** The message being sent in parts through this endpoint, or null. */
    private Kind partial;
    /** A high surrogate at the end of a text part, held back until the part that completes its pair. */
    private char heldSurrogate;

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
        String part;
        synchronized (this) {
            part = heldSurrogate == 0 ? partialMessage : heldSurrogate + partialMessage;
            heldSurrogate = 0;
            // A UTF-16 pair must not be cut between two frames: its UTF-8 form is one code point.
            if (!isLast && !part.isEmpty() && Character.isHighSurrogate(part.charAt(part.length() - 1))) {
                heldSurrogate = part.charAt(part.length() - 1);
                part = part.substring(0, part.length() - 1);
            }
        }
        sendPart(Kind.TEXT, utf8(part), isLast);
    }

    @Override
    public void sendBinary(ByteBuffer partialByte, boolean isLast) throws IOException {
        requireNonNull(partialByte, "partialByte");
        sendPart(Kind.BINARY, partialByte.slice(), isLast);
        consumed(partialByte);
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

    /** One part of a message sent in parts; the first part waits for its turn, the others never do. */
    void sendPart(Kind kind, ByteBuffer bytes, boolean isLast) throws IOException {
        boolean continuation;
        synchronized (this) {
            if (partial != null && partial != kind) {
                throw new IllegalStateException("a " + (partial == Kind.TEXT ? "text" : "binary")
                        + " message is being sent in parts; send its last part first");
            }
            continuation = partial != null;
            partial = isLast ? null : kind;
        }
        try {
            send(kind, bytes, isLast, continuation);
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                partial = null;
            }
            throw e;
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
