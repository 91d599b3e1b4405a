package io.breakwater.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A connection under test with its recording listener and capturing output, plus the peer's side:
 * frames built by {@link TestFrame}, masked when they go to a server, fed whole or in chunks.
 */
final class Endpoint {

    /** The masking key of the example in RFC 6455 §5.7; every frame a test client sends uses it. */
    static final int CLIENT_KEY = 0x37FA213D;

    /** Input chunk sizes the framing tests feed with; {@link Integer#MAX_VALUE} is the whole input at once. */
    static final int[] CHUNK_SIZES = {1, 2, 3, 7, 64, 4096, Integer.MAX_VALUE};

    final Role role;
    final Connection connection;
    final RecordingListener listener = new RecordingListener();
    final CapturingOutput output = new CapturingOutput();
    private int peerFrames;

    private Endpoint(Role role, MessageExtension extension, MaskKeySource keys) {
        this.role = role;
        this.connection = role == Role.SERVER
                ? Connection.server(listener, output, extension)
                : Connection.client(listener, output, extension, keys);
    }

    static Endpoint of(Role role) {
        return new Endpoint(role, null, () -> CLIENT_KEY);
    }

    static Endpoint of(Role role, MessageExtension extension) {
        return new Endpoint(role, extension, () -> CLIENT_KEY);
    }

    static Endpoint client(MaskKeySource keys) {
        return new Endpoint(Role.CLIENT, null, keys);
    }

    static Endpoint clientWith(MessageExtension extension, MaskKeySource keys) {
        return new Endpoint(Role.CLIENT, extension, keys);
    }

    static Endpoint server() {
        return of(Role.SERVER);
    }

    static Endpoint client() {
        return of(Role.CLIENT);
    }

    /** A varied, deterministic key for the peer's n-th frame, so unmasking at every key phase is exercised. */
    static int peerKey(int n) {
        int x = (n + 1) * 0x9E3779B9;
        return x ^ (x >>> 15) ^ 0x5A000000;
    }

    /** The frames as this endpoint's peer sends them, back to back. */
    byte[] encode(TestFrame... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TestFrame frame : frames) {
            out.writeBytes(frame.encodeFor(role, peerKey(peerFrames++)));
        }
        return out.toByteArray();
    }

    /** Feeds the frames in one call. */
    Endpoint receive(TestFrame... frames) {
        return feed(encode(frames));
    }

    /** Feeds each frame with its own call, as Autobahn's "sync" cases send them. */
    Endpoint receiveEach(TestFrame... frames) {
        for (TestFrame frame : frames) {
            feed(encode(frame));
        }
        return this;
    }

    Endpoint receiveChunked(int chunkSize, TestFrame... frames) {
        return feed(encode(frames), chunkSize);
    }

    /** Feeds a copy of {@code bytes} in one call (the engine unmasks in place, so the caller's array is kept). */
    Endpoint feed(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes.clone());
        connection.receive(buffer);
        assertFalse(buffer.hasRemaining(), "receive must consume all its input");
        return this;
    }

    /** Feeds a copy of {@code bytes} in calls of {@code chunkSize} bytes. */
    Endpoint feed(byte[] bytes, int chunkSize) {
        byte[] copy = bytes.clone();
        for (int at = 0; at < copy.length; ) {
            int length = (int) Math.min(chunkSize, (long) copy.length - at);
            ByteBuffer chunk = ByteBuffer.wrap(copy, at, length);
            connection.receive(chunk);
            assertFalse(chunk.hasRemaining(), "receive must consume all its input");
            at += length;
        }
        return this;
    }

    List<WireFrame> written() {
        return output.frames();
    }

    List<RecordingListener.Item> messages() {
        return listener.messages();
    }

    // ------------------------------------------------------------------------------------- assertions

    /** A frame this endpoint wrote: masked with {@link #CLIENT_KEY} by a client, unmasked by a server. */
    void assertOwnFrame(WireFrame frame, int opcode, boolean fin, byte[] payload) {
        assertEquals(opcode, frame.opcode(), () -> "opcode of " + frame);
        assertEquals(fin, frame.fin(), () -> "FIN of " + frame);
        assertEquals(0, frame.rsv(), () -> "RSV of " + frame);
        if (role == Role.CLIENT) {
            assertTrue(frame.masked(), () -> "a client masks every frame: " + frame);
            assertEquals(CLIENT_KEY, frame.maskKey(), () -> "mask key of " + frame);
        } else {
            assertFalse(frame.masked(), () -> "a server never masks: " + frame);
        }
        assertArrayEquals(payload, frame.payload(), () -> "payload of " + frame);
    }

    void assertNothingWritten() {
        assertEquals(0, output.size(), () -> "expected no output, got " + written());
    }

    void assertNothingDelivered() {
        assertFalse(listener.anyData(), () -> "expected no data, got " + listener.events());
    }

    /**
     * The connection failed with {@code violation}: exactly one close frame, the last thing written,
     * carries its code; onProtocolError then onClose (once) were the last events; the transport is
     * to be closed.
     */
    void assertFailed(Violation violation) {
        assertFailed(violation, true);
    }

    /** As {@link #assertFailed(Violation)}; {@code closeWritten} false when we had sent our close before. */
    void assertFailed(Violation violation, boolean closeWritten) {
        List<RecordingListener.Event> events = listener.events();
        assertTrue(events.size() >= 2, () -> "events: " + events);
        assertEquals(new RecordingListener.Failed(violation), events.get(events.size() - 2), () -> "events: " + events);
        RecordingListener.Event last = events.get(events.size() - 1);
        assertTrue(last instanceof RecordingListener.Closed, () -> "events: " + events);
        assertEquals(violation.closeCode(), ((RecordingListener.Closed) last).status().code(), () -> "events: " + events);
        assertEquals(1, listener.closeCount(), "onClose is reported exactly once");
        List<WireFrame> frames = written();
        long closes = frames.stream().filter(WireFrame::isClose).count();
        assertEquals(1, closes, () -> "exactly one close frame written: " + frames);
        if (closeWritten) {
            WireFrame close = frames.get(frames.size() - 1);
            assertTrue(close.isClose(), () -> "the close frame is written last: " + frames);
            assertEquals(violation.closeCode(), close.closeCode(), () -> "close code written: " + close);
            assertTrue(Utf8Validator.isValid(ByteBuffer.wrap(close.payload(), 2, close.payload().length - 2)),
                    "the close reason is UTF-8");
            assertTrue(close.payload().length <= 125, "a close frame carries at most 125 bytes");
            assertEquals(role == Role.CLIENT, close.masked(), "masking of the close frame");
        }
        assertEquals(Connection.State.CLOSED, connection.state());
        assertTrue(connection.isTransportCloseDue(), "after failing, the transport is to be closed");
    }
}
