package io.breakwater.protocol;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Turns outbound data messages into frames (RFC 6455 §5.4, §5.6): applies the negotiated extension's
 * encoding (RFC 7692 compression), splits long payloads into fragments, and masks a client's frames.
 * It knows nothing of the close handshake: the caller decides whether a message may still be sent.
 *
 * <p>Used by one thread at a time (it keeps the state of a message sent in parts), and apart from the
 * {@link Connection} that reads: a session compresses and masks a large message without holding back
 * the thread that parses the peer's input.
 */
public final class MessageFramer {

    private static final int NO_MESSAGE = -1;

    private final FrameWriter writer;
    private final MessageExtension extension;
    private int fragmentSize;

    /** The opcode of the message whose last part is still to come, or {@link #NO_MESSAGE}. */
    private int unfinished = NO_MESSAGE;
    private int unfinishedRsv;

    private MessageFramer(MessageExtension extension, MaskKeySource maskKeys) {
        this.writer = new FrameWriter(maskKeys);
        this.extension = extension;
    }

    /** A server's framer: frames are not masked (RFC 6455 §5.1). */
    public static MessageFramer server(MessageExtension extension) {
        return new MessageFramer(extension, null);
    }

    /** A client's framer: every frame is masked with a key from {@code maskKeys} (RFC 6455 §5.3). */
    public static MessageFramer client(MessageExtension extension, MaskKeySource maskKeys) {
        return new MessageFramer(extension, Objects.requireNonNull(maskKeys, "maskKeys"));
    }

    static MessageFramer forRole(Role role, MessageExtension extension, MaskKeySource maskKeys) {
        return new MessageFramer(extension, role == Role.CLIENT ? maskKeys : null);
    }

    /** Payloads longer than this are split into frames of this size; 0 never splits. */
    public void setFragmentSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("fragment size must not be negative: " + bytes);
        }
        fragmentSize = bytes;
    }

    /** Whether a message sent in parts has yet to get its last part. */
    public boolean hasUnfinishedMessage() {
        return unfinished != NO_MESSAGE;
    }

    /**
     * Writes the frames of one part of a text message (UTF-8) to {@code output}; parts continue a message
     * until one is {@code last}. The part is not modified; a server's frames may be views of it, so it
     * must stay unchanged until they are written.
     *
     * @throws IllegalStateException while a binary message is unfinished
     */
    public void text(ByteBuffer utf8, boolean last, FrameOutput output) {
        data(Opcode.TEXT, utf8, last, output);
    }

    /** Writes the frames of one part of a binary message, as {@link #text} does for text. */
    public void binary(ByteBuffer part, boolean last, FrameOutput output) {
        data(Opcode.BINARY, part, last, output);
    }

    /** Writes a ping (RFC 6455 §5.5.2); the payload is at most 125 bytes. */
    public void ping(ByteBuffer payload, FrameOutput output) {
        control(Opcode.PING, payload, output);
    }

    /** Writes a pong (RFC 6455 §5.5.3); the payload is at most 125 bytes. */
    public void pong(ByteBuffer payload, FrameOutput output) {
        control(Opcode.PONG, payload, output);
    }

    /** Whether the frame whose header this is (as a {@link FrameOutput} receives it) is a close frame. */
    public static boolean isClose(ByteBuffer header) {
        return (header.get(header.position()) & 0x0F) == Opcode.CLOSE;
    }

    void data(int type, ByteBuffer part, boolean last, FrameOutput output) {
        int opcode;
        int rsv;
        if (unfinished == NO_MESSAGE) {
            unfinished = type;
            unfinishedRsv = extension == null ? 0 : extension.encodingFor(part, last);
            opcode = type;
            rsv = unfinishedRsv;
        } else if (unfinished == type) {
            opcode = Opcode.CONTINUATION;
            rsv = 0; // RFC 7692 §6.1: only the first frame carries the "compressed" bit
        } else {
            throw new IllegalStateException("the "
                    + (unfinished == Opcode.TEXT ? "text" : "binary") + " message being sent is not finished");
        }
        ByteBuffer payload = unfinishedRsv != 0 ? extension.encode(part, last) : part;
        if (last) {
            unfinished = NO_MESSAGE;
        }
        fragmented(opcode, rsv, payload, last, output);
    }

    /** Writes one control frame (ping, pong or close; at most 125 bytes of payload, RFC 6455 §5.5). */
    void control(int opcode, ByteBuffer payload, FrameOutput output) {
        writer.write(opcode, true, 0, payload, output);
    }

    private void fragmented(int opcode, int rsv, ByteBuffer payload, boolean last, FrameOutput output) {
        int size = fragmentSize;
        if (size == 0 || payload.remaining() <= size) {
            writer.write(opcode, last, rsv, payload, output);
            return;
        }
        for (int at = payload.position(); at < payload.limit(); at += size) {
            int length = Math.min(size, payload.limit() - at);
            boolean lastFrame = at + length == payload.limit();
            writer.write(opcode, last && lastFrame, rsv, payload.slice(at, length), output);
            opcode = Opcode.CONTINUATION;
            rsv = 0;
        }
    }
}
