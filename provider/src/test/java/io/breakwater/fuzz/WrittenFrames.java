package io.breakwater.fuzz;

import io.breakwater.protocol.FrameOutput;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A {@link FrameOutput} that keeps a copy of every frame written, header and payload together. */
final class WrittenFrames implements FrameOutput {

    private final List<Bytes> frames = new ArrayList<>();

    @Override
    public void write(ByteBuffer header, ByteBuffer payload) {
        ByteBuffer frame = ByteBuffer.allocate(header.remaining() + payload.remaining());
        frame.put(header.duplicate()).put(payload.duplicate());
        frames.add(new Bytes(frame.array()));
    }

    List<Bytes> frames() {
        return List.copyOf(frames);
    }

    /** Every frame back to back, as the peer would read them. */
    byte[] stream() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        frames.forEach(frame -> stream.writeBytes(frame.value()));
        return stream.toByteArray();
    }
}
