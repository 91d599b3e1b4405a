package io.breakwater.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FrameOutput} that records the exact bytes a connection put on the wire: each frame's header
 * and payload, copied at the moment of the write and concatenated. It also keeps the buffers it was
 * handed, untouched, so that tests can check what they are views of.
 */
final class CapturingOutput implements FrameOutput {

    /** One call to {@link #write}: the buffers as handed over, and the bytes they held at that moment. */
    record Write(ByteBuffer header, ByteBuffer payload, Blob headerBytes, Blob payloadBytes) {
    }

    private final List<Write> writes = new ArrayList<>();
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();

    @Override
    public void write(ByteBuffer header, ByteBuffer payload) {
        Blob headerBytes = Blob.copyOf(header);
        Blob payloadBytes = Blob.copyOf(payload);
        writes.add(new Write(header, payload, headerBytes, payloadBytes));
        headerBytes.writeTo(wire);
        payloadBytes.writeTo(wire);
    }

    /** Everything written so far, as it would appear on the wire. */
    byte[] bytes() {
        return wire.toByteArray();
    }

    int size() {
        return wire.size();
    }

    List<Write> writes() {
        return writes;
    }

    /** The output decoded into frames by the test decoder. */
    List<WireFrame> frames() {
        return WireFrame.decodeAll(bytes());
    }

    void clear() {
        writes.clear();
        wire.reset();
    }
}
