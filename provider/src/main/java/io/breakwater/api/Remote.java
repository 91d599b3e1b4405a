package io.breakwater.api;

import jakarta.websocket.RemoteEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;

/** What both kinds of remote endpoint share: pings, pongs and batching. */
abstract class Remote implements RemoteEndpoint {

    /** Control frames carry at most 125 bytes (RFC 6455 §5.5). */
    private static final int MAX_CONTROL_PAYLOAD = 125;

    final BreakwaterSession session;
    final OutboundChannel channel;
    final Encoders encoders;
    private volatile boolean batchingAllowed;

    Remote(BreakwaterSession session, OutboundChannel channel, Encoders encoders) {
        this.session = session;
        this.channel = channel;
        this.encoders = encoders;
    }

    /**
     * Breakwater writes each message as soon as the socket takes it, and already gathers the frames
     * queued meanwhile into one write; allowing batching changes nothing, and {@link #flushBatch()}
     * has nothing to flush.
     */
    @Override
    public void setBatchingAllowed(boolean allowed) throws IOException {
        batchingAllowed = allowed;
    }

    @Override
    public boolean getBatchingAllowed() {
        return batchingAllowed;
    }

    @Override
    public void flushBatch() throws IOException {
        // Nothing is held back: see setBatchingAllowed.
    }

    @Override
    public void sendPing(ByteBuffer applicationData) throws IOException {
        channel.sendControl(true, controlPayload(applicationData));
        consumed(applicationData);
    }

    @Override
    public void sendPong(ByteBuffer applicationData) throws IOException {
        channel.sendControl(false, controlPayload(applicationData));
        consumed(applicationData);
    }

    /**
     * The API documentation of every send that takes a ByteBuffer: "If the sending of the message completes
     * successfully, the buffer's limit will be unchanged and the buffer's position will be equal to the
     * limit." What was queued is a slice of the buffer, so moving the caller's position changes nothing sent.
     */
    static void consumed(ByteBuffer data) {
        if (data != null) {
            data.position(data.limit());
        }
    }

    private static ByteBuffer controlPayload(ByteBuffer applicationData) {
        if (applicationData == null) {
            return ByteBuffer.allocate(0);
        }
        if (applicationData.remaining() > MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("ping and pong data is at most 125 bytes, not "
                    + applicationData.remaining());
        }
        // A copy: a ping or pong is queued, not written, when sendPing/sendPong return, and the engine
        // writes a server's payload as a view of the given bytes; the caller may reuse its buffer at once.
        // At most 125 bytes, so the copy costs nothing worth saving.
        return ByteBuffer.allocate(applicationData.remaining()).put(applicationData.duplicate()).flip();
    }

    static void requireNonNull(Object argument, String name) {
        if (argument == null) {
            throw new IllegalArgumentException(name + " is null");
        }
    }
}
