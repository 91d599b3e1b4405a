package io.breakwater.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.breakwater.protocol.CloseStatus;
import io.breakwater.protocol.ConnectionListener;
import io.breakwater.protocol.ProtocolException;
import io.breakwater.protocol.Violation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Records what a {@link io.breakwater.protocol.Connection} reports and checks the listener's contract
 * call by call: nothing after {@code onClose}, which comes exactly once; a protocol error carries its
 * violation's close code and is followed at once by {@code onClose} with that code; a message never
 * grows past its size limit nor changes type half way; text is well-formed UTF-8 so far (by the JDK's
 * decoder, not the engine's validator); control payloads fit in 125 bytes; no single piece is larger
 * than the input it came from or, for inflated data, the inflater's 16 KiB output buffer.
 *
 * <p>Consecutive pieces of one message are merged into one {@link Data} event, since how a message
 * is cut into pieces depends on how its bytes arrived; a control frame in the middle of a message
 * ends one {@code Data} event (with {@code last} false) and the rest of the message makes another.
 */
final class EventLog implements ConnectionListener {

    /** The most inflated bytes the engine hands on at once (docs/ARCHITECTURE.md: one 16 KiB output buffer). */
    static final int INFLATE_CHUNK = 16 * 1024;

    /** The codes a protocol violation may close with (RFC 6455 §7.4.1). */
    private static final Set<Integer> FAILURE_CODES =
            Set.of(CloseStatus.PROTOCOL_ERROR, CloseStatus.INVALID_PAYLOAD, CloseStatus.MESSAGE_TOO_BIG);

    sealed interface Event permits Data, Ping, Pong, Failure, Closed {
    }

    /** Consecutive pieces of one data message; {@code last} when they end it. */
    record Data(boolean text, Bytes bytes, boolean last) implements Event {
    }

    record Ping(Bytes payload) implements Event {
    }

    record Pong(Bytes payload) implements Event {
    }

    record Failure(Violation violation) implements Event {
    }

    record Closed(int code, String reason) implements Event {
    }

    private final long maxTextMessageSize;
    private final long maxBinaryMessageSize;
    private final List<Event> events = new ArrayList<>();

    /** The largest piece allowed during the current {@code receive} call. */
    private int maxPiece = Integer.MAX_VALUE;

    /** The data message being received: its type, size so far, and the bytes since the last event. */
    private boolean inMessage;
    private boolean messageText;
    private long messageSize;
    private JdkUtf8 messageUtf8;
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private Failure failure;
    private boolean closed;

    EventLog(long maxTextMessageSize, long maxBinaryMessageSize) {
        this.maxTextMessageSize = maxTextMessageSize;
        this.maxBinaryMessageSize = maxBinaryMessageSize;
    }

    /** Called before each {@code receive}: no piece may be larger than the input or than one inflater buffer. */
    void expectPiecesFrom(int inputLength) {
        maxPiece = Math.max(inputLength, INFLATE_CHUNK);
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    /** The violation the connection failed with, or null. */
    Violation failure() {
        return failure == null ? null : failure.violation();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void onText(ByteBuffer utf8, boolean last) {
        onData(true, utf8, last);
    }

    @Override
    public void onBinary(ByteBuffer data, boolean last) {
        onData(false, data, last);
    }

    private void onData(boolean text, ByteBuffer piece, boolean last) {
        checkOpen();
        assertTrue(piece.remaining() <= maxPiece,
                "a piece of " + piece.remaining() + " bytes, more than the input or one inflater buffer (" + maxPiece + ")");
        if (!inMessage) {
            inMessage = true;
            messageText = text;
            messageSize = 0;
            messageUtf8 = new JdkUtf8();
        }
        assertEquals(messageText, text, "a message changed from " + (messageText ? "text" : "binary") + " half way");
        Bytes bytes = Bytes.of(piece);
        messageSize += bytes.length();
        long limit = text ? maxTextMessageSize : maxBinaryMessageSize;
        assertTrue(messageSize <= limit, "a message of " + messageSize + " bytes got past the limit of " + limit);
        if (text) {
            assertTrue(messageUtf8.accept(bytes.value(), last), "text that is not well-formed UTF-8 reached the listener");
        }
        pending.writeBytes(bytes.value());
        if (last) {
            events.add(new Data(text, new Bytes(pending.toByteArray()), true));
            pending = new ByteArrayOutputStream();
            inMessage = false;
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        onControl(payload);
        events.add(new Ping(Bytes.of(payload)));
    }

    @Override
    public void onPong(ByteBuffer payload) {
        onControl(payload);
        events.add(new Pong(Bytes.of(payload)));
    }

    private void onControl(ByteBuffer payload) {
        checkOpen();
        assertTrue(payload.remaining() <= 125, "control payload of " + payload.remaining() + " bytes");
        endPiecesSoFar();
    }

    @Override
    public void onProtocolError(ProtocolException error) {
        checkOpen();
        Violation violation = error.violation();
        assertEquals(violation.closeCode(), error.closeCode(), "close code of " + violation);
        assertTrue(FAILURE_CODES.contains(error.closeCode()), violation + " closes with " + error.closeCode());
        endPiecesSoFar();
        failure = new Failure(violation);
        events.add(failure);
    }

    @Override
    public void onClose(CloseStatus status) {
        assertFalse(closed, "onClose reported twice");
        closed = true;
        endPiecesSoFar();
        int code = status.code();
        if (failure != null) {
            assertEquals(failure.violation().closeCode(), code, "onClose after " + failure.violation());
        } else {
            assertTrue(code == CloseStatus.NO_STATUS_RECEIVED || code == CloseStatus.ABNORMAL_CLOSURE
                    || CloseStatus.isValidOnWire(code), "onClose with code " + code);
        }
        events.add(new Closed(code, status.reason()));
    }

    private void checkOpen() {
        assertFalse(closed, "an event after onClose");
        if (failure != null) {
            fail("an event between onProtocolError and onClose");
        }
    }

    /** A control event or the end interrupts the message: what arrived of it so far becomes an event. */
    private void endPiecesSoFar() {
        if (pending.size() > 0) {
            events.add(new Data(messageText, new Bytes(pending.toByteArray()), false));
            pending = new ByteArrayOutputStream();
        }
    }

    /** After the connection closed: checks the log is complete. */
    void assertClosed() {
        assertTrue(closed, "onClose was never reported");
    }
}
