package io.breakwater.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One WebSocket connection after the opening handshake, as a sans-I/O state machine (RFC 6455 §5-§7):
 * bytes go in through {@link #receive}, events come out through a {@link ConnectionListener};
 * messages go in through the {@code send} methods, frames come out through a {@link FrameOutput}.
 * It owns no socket, thread or clock, so a test, a fuzzer, an NIO selector loop and a servlet
 * {@code ReadListener} drive it the same way.
 *
 * <p>It is not thread-safe: the adapter calls it from one thread at a time.
 */
public final class Connection {

    /** Where the close handshake stands (RFC 6455 §7). */
    public enum State {
        /** Messages flow both ways. */
        OPEN,
        /** We sent a close frame and wait for the peer's (RFC 6455 §7.1.2). */
        CLOSING,
        /** The close handshake is done, or the connection failed: nothing more is sent or read. */
        CLOSED
    }

    public static final long DEFAULT_MAX_FRAME_SIZE = 16L << 20;
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 16L << 20;

    private static final int NO_MESSAGE = -1;
    private static final int MAX_CONTROL_PAYLOAD = 125;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final Role role;
    private final ConnectionListener listener;
    private final FrameOutput output;
    private final MessageFramer framer;
    private final MessageExtension extension;
    private final FrameParser parser;
    private final Inbound inbound = new Inbound();

    private State state = State.OPEN;
    private boolean closeSent;
    private boolean closeReported;
    private boolean transportCloseDue;

    private long maxTextMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private long maxBinaryMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    /** Whether the connection frees the extension when it closes; see {@link #leaveExtensionToCaller()}. */
    private boolean releasesExtension = true;

    private Connection(Role role, ConnectionListener listener, FrameOutput output,
                       MessageExtension extension, MaskKeySource maskKeys) {
        this.role = role;
        this.listener = listener;
        this.extension = extension;
        this.output = output;
        this.framer = MessageFramer.forRole(role, extension, maskKeys);
        this.parser = new FrameParser(role, inbound);
        parser.setExtensionBits(extension == null ? 0 : extension.reservedBits());
        parser.setMaxFrameSize(DEFAULT_MAX_FRAME_SIZE);
    }

    /**
     * The server end of a connection.
     *
     * @param extension the negotiated per-message extension, or null for none
     */
    public static Connection server(ConnectionListener listener, FrameOutput output, MessageExtension extension) {
        return new Connection(Role.SERVER, listener, output, extension, null);
    }

    /**
     * The client end of a connection, masking every frame with keys from {@code maskKeys}.
     *
     * @param extension the negotiated per-message extension, or null for none
     */
    public static Connection client(ConnectionListener listener, FrameOutput output, MessageExtension extension,
                                    MaskKeySource maskKeys) {
        // RFC 6455 §5.3: a client masks every frame, so it cannot do without keys.
        return new Connection(Role.CLIENT, listener, output, extension, Objects.requireNonNull(maskKeys, "maskKeys"));
    }

    public Role role() {
        return role;
    }

    public State state() {
        return state;
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /**
     * Whether the adapter should now close the transport, once the frames already written are flushed:
     * a server after the close handshake (RFC 6455 §7.1.1: the server closes TCP first), either end
     * after failing the connection (§7.1.7). A client that completed the close handshake waits for the
     * server to close, and closes by itself only after a timeout of its own.
     */
    public boolean isTransportCloseDue() {
        return transportCloseDue;
    }

    /** Frames longer than this fail with 1009 as soon as their header is read. */
    public void setMaxFrameSize(long bytes) {
        parser.setMaxFrameSize(positive(bytes));
    }

    /** Text messages longer than this fail with 1009, before the payload that exceeds it is read. */
    public void setMaxTextMessageSize(long bytes) {
        maxTextMessageSize = positive(bytes);
    }

    /** Binary messages longer than this fail with 1009, before the payload that exceeds it is read. */
    public void setMaxBinaryMessageSize(long bytes) {
        maxBinaryMessageSize = positive(bytes);
    }

    /** Outgoing message payloads longer than this are split into frames of this size; 0 never splits. */
    public void setOutgoingFragmentSize(int bytes) {
        framer.setFragmentSize(bytes);
    }

    /**
     * The caller frees the extension itself, once it no longer encodes with it: for a caller that sends
     * data messages through a {@link MessageFramer} of its own, which may still be compressing on another
     * thread when this connection closes.
     */
    public void leaveExtensionToCaller() {
        releasesExtension = false;
    }

    // ---------------------------------------------------------------------------------------- inbound

    /**
     * Reads the peer's bytes, all of them, reporting events to the listener as they complete. Payload
     * bytes are unmasked in place; a read-only buffer is copied first. After the connection closed,
     * input is ignored.
     */
    public void receive(ByteBuffer data) {
        if (state == State.CLOSED) {
            data.position(data.limit());
            return;
        }
        ByteBuffer input = data;
        if (data.isReadOnly()) {
            input = ByteBuffer.allocate(data.remaining()).put(data).flip();
        }
        try {
            parser.parse(input);
        } catch (ProtocolException violation) {
            fail(violation);
        }
        data.position(data.limit());
    }

    /**
     * The transport ended (end of stream, reset, timeout). Unless the close handshake had completed,
     * the listener learns that the connection closed abnormally (1006).
     */
    public void transportClosed() {
        enterClosed();
        reportClose(CloseStatus.ABNORMAL);
    }

    /** RFC 6455 §7.1.7: send a close with the violation's code, then close the transport. */
    private void fail(ProtocolException violation) {
        if (state == State.CLOSED) {
            return;
        }
        if (!closeSent) {
            writeClose(violation.closeCode(), violation.violation().description());
        }
        transportCloseDue = true;
        enterClosed();
        listener.onProtocolError(violation);
        reportClose(new CloseStatus(violation.closeCode(), violation.violation().description()));
    }

    private void onCloseFrame(ByteBuffer payload) throws ProtocolException {
        CloseStatus status = readCloseStatus(payload);
        if (!closeSent) {
            // RFC 6455 §5.5.1: answer with a close, echoing the status code received.
            if (status.code() == CloseStatus.NO_STATUS_RECEIVED) {
                framer.control(Opcode.CLOSE, EMPTY, output);
                closeSent = true;
            } else {
                writeClose(status.code(), "");
            }
        }
        if (role == Role.SERVER) {
            transportCloseDue = true;
        }
        enterClosed();
        reportClose(status);
    }

    /** RFC 6455 §5.5.1 and §7.4: an empty body, or a valid code followed by a UTF-8 reason. */
    private static CloseStatus readCloseStatus(ByteBuffer payload) throws ProtocolException {
        int length = payload.remaining();
        if (length == 0) {
            return CloseStatus.NO_STATUS;
        }
        if (length == 1) {
            throw new ProtocolException(Violation.CLOSE_PAYLOAD_TOO_SHORT);
        }
        int code = ((payload.get(payload.position()) & 0xFF) << 8) | (payload.get(payload.position() + 1) & 0xFF);
        if (!CloseStatus.isValidOnWire(code)) {
            throw new ProtocolException(Violation.INVALID_CLOSE_CODE, "invalid close code " + code);
        }
        ByteBuffer reason = payload.duplicate().position(payload.position() + 2);
        if (!Utf8Validator.isValid(reason)) {
            throw new ProtocolException(Violation.INVALID_CLOSE_REASON);
        }
        return new CloseStatus(code, StandardCharsets.UTF_8.decode(reason).toString());
    }

    private void enterClosed() {
        if (state != State.CLOSED) {
            state = State.CLOSED;
            parser.stop();
            if (extension != null && releasesExtension) {
                extension.release();
            }
        }
    }

    private void reportClose(CloseStatus status) {
        if (!closeReported) {
            closeReported = true;
            listener.onClose(status);
        }
    }

    /** Applies the rules about sequences of frames (RFC 6455 §5.4, §5.5) and assembles nothing: pieces go on as they come. */
    private final class Inbound implements FrameParser.FrameHandler, MessageExtension.PayloadSink {
        private final Utf8Validator utf8 = new Utf8Validator();
        private final byte[] control = new byte[MAX_CONTROL_PAYLOAD];
        private int controlLength;

        private int frameOpcode;
        private boolean frameFin;
        /** The opcode of the data message being received, or {@link #NO_MESSAGE}. */
        private int message = NO_MESSAGE;
        /** The RSV bits of the message's first frame: non-zero means the extension decodes it. */
        private int messageRsv;
        private long messageSize;

        @Override
        public void onFrameHeader(int opcode, boolean fin, int rsv, long payloadLength) throws ProtocolException {
            frameOpcode = opcode;
            frameFin = fin;
            if (Opcode.isControl(opcode)) {
                controlLength = 0;
                return;
            }
            if (opcode == Opcode.CONTINUATION) {
                if (message == NO_MESSAGE) {
                    throw new ProtocolException(Violation.CONTINUATION_WITHOUT_MESSAGE);
                }
                if (rsv != 0) {
                    throw new ProtocolException(Violation.RESERVED_BITS_ON_CONTINUATION);
                }
            } else {
                if (message != NO_MESSAGE) {
                    throw new ProtocolException(Violation.DATA_FRAME_INSIDE_MESSAGE);
                }
                message = opcode;
                messageRsv = rsv;
                messageSize = 0;
                utf8.reset();
            }
            if (messageRsv == 0) {
                // Uncompressed, the message's size is known from the header, before any payload is read.
                count(payloadLength);
            }
        }

        @Override
        public void onPayload(ByteBuffer payload, boolean frameEnd) throws ProtocolException {
            if (Opcode.isControl(frameOpcode)) {
                int length = payload.remaining();
                payload.get(payload.position(), control, controlLength, length);
                controlLength += length;
                if (frameEnd) {
                    onControlFrame(frameOpcode, ByteBuffer.wrap(control, 0, controlLength));
                }
                return;
            }
            boolean messageEnd = frameEnd && frameFin;
            if (messageRsv != 0) {
                extension.decode(messageRsv, payload, messageEnd, this);
                if (messageEnd) {
                    deliver(EMPTY, true);
                }
            } else if (payload.hasRemaining() || messageEnd) {
                deliver(payload, messageEnd);
            }
            if (messageEnd) {
                message = NO_MESSAGE;
            }
        }

        /** Decoded bytes from the extension; counted against the limit as they are produced. */
        @Override
        public void accept(ByteBuffer decoded) throws ProtocolException {
            count(decoded.remaining());
            deliver(decoded, false);
        }

        private void count(long bytes) throws ProtocolException {
            long limit = message == Opcode.TEXT ? maxTextMessageSize : maxBinaryMessageSize;
            if (bytes > limit - messageSize) {
                throw new ProtocolException(Violation.MESSAGE_TOO_BIG,
                        "message exceeds the maximum " + (message == Opcode.TEXT ? "text" : "binary")
                                + " message size of " + limit + " bytes");
            }
            messageSize += bytes;
        }

        private void deliver(ByteBuffer piece, boolean last) throws ProtocolException {
            if (message == Opcode.TEXT) {
                // RFC 6455 §8.1: fail on the first byte that cannot be UTF-8, not at the end of the message.
                if (!utf8.accept(piece) || (last && !utf8.isComplete())) {
                    throw new ProtocolException(Violation.INVALID_UTF8);
                }
                listener.onText(piece, last);
            } else {
                listener.onBinary(piece, last);
            }
        }

        private void onControlFrame(int opcode, ByteBuffer payload) throws ProtocolException {
            switch (opcode) {
                case Opcode.PING -> {
                    if (state == State.OPEN) {
                        // RFC 6455 §5.5.2: answer with a pong carrying the same payload, before anything else.
                        framer.control(Opcode.PONG, ByteBuffer.wrap(Arrays.copyOf(control, controlLength)), output);
                    }
                    listener.onPing(payload);
                }
                case Opcode.PONG -> listener.onPong(payload);
                case Opcode.CLOSE -> onCloseFrame(payload);
                default -> throw new IllegalStateException("not a control opcode: " + opcode);
            }
        }
    }

    // --------------------------------------------------------------------------------------- outbound

    /** Sends a whole text message. */
    public void sendText(String text) {
        sendText(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true);
    }

    /**
     * Sends a part of a text message as UTF-8; parts continue the message until one is {@code last}.
     * The bytes are not modified; they may be written after this returns, so the caller leaves them
     * alone until its transport says the write is done.
     *
     * @throws IllegalStateException after a close frame was sent, or while a binary message is unfinished
     */
    public void sendText(ByteBuffer utf8, boolean last) {
        sendData(Opcode.TEXT, utf8, last);
    }

    /** Sends a part of a binary message, as {@link #sendText(ByteBuffer, boolean)} does text. */
    public void sendBinary(ByteBuffer data, boolean last) {
        sendData(Opcode.BINARY, data, last);
    }

    /** Sends a ping with up to 125 bytes of application data (RFC 6455 §5.5.2). */
    public void sendPing(ByteBuffer applicationData) {
        sendControl(Opcode.PING, applicationData);
    }

    /** Sends an unsolicited pong, a one-way heartbeat (RFC 6455 §5.5.3). */
    public void sendPong(ByteBuffer applicationData) {
        sendControl(Opcode.PONG, applicationData);
    }

    /**
     * Starts the close handshake (RFC 6455 §7.1.2), or does nothing when a close frame was already
     * sent. {@link CloseStatus#NO_STATUS_RECEIVED} sends a close frame without a body.
     *
     * @throws IllegalArgumentException for a code that may not be sent (RFC 6455 §7.4.1) or a reason
     *                                  longer than 123 bytes of UTF-8
     */
    public void close(CloseStatus status) {
        int code = status.code();
        if (code != CloseStatus.NO_STATUS_RECEIVED && !CloseStatus.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        if (code == CloseStatus.NO_STATUS_RECEIVED && !status.reason().isEmpty()) {
            throw new IllegalArgumentException("a close frame without a code has no reason");
        }
        if (reasonBytes(status.reason()).length > CloseStatus.MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason longer than " + CloseStatus.MAX_REASON_BYTES + " bytes");
        }
        if (closeSent || state != State.OPEN) {
            return;
        }
        if (code == CloseStatus.NO_STATUS_RECEIVED) {
            framer.control(Opcode.CLOSE, EMPTY, output);
            closeSent = true;
        } else {
            writeClose(code, status.reason());
        }
        state = State.CLOSING;
    }

    private void sendData(int type, ByteBuffer part, boolean last) {
        requireOpen();
        framer.data(type, part, last, output);
    }

    private void sendControl(int opcode, ByteBuffer applicationData) {
        if (applicationData.remaining() > MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("control frame payload longer than 125 bytes");
        }
        requireOpen();
        framer.control(opcode, applicationData, output);
    }

    private void writeClose(int code, String reason) {
        byte[] reasonBytes = reasonBytes(reason);
        int length = Math.min(reasonBytes.length, CloseStatus.MAX_REASON_BYTES);
        ByteBuffer body = ByteBuffer.allocate(2 + length).putShort((short) code).put(reasonBytes, 0, length).flip();
        framer.control(Opcode.CLOSE, body, output);
        closeSent = true;
    }

    private static byte[] reasonBytes(String reason) {
        return reason.getBytes(StandardCharsets.UTF_8);
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException(closeSent ? "a close frame has been sent" : "the connection is closed");
        }
    }

    private static long positive(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a limit must be positive: " + bytes);
        }
        return bytes;
    }
}
