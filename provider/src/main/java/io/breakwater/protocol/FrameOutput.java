package io.breakwater.protocol;

import java.nio.ByteBuffer;

/**
 * Where a {@link Connection} puts the frames it wants sent: the transport adapter (NIO channel,
 * servlet output stream, test) writes them in the order given.
 */
@FunctionalInterface
public interface FrameOutput {

    /**
     * Takes one frame as two buffers to be written back to back, with a gathering write where the
     * transport has one. The header buffer is the adapter's to keep. The payload buffer may be a view
     * of the application's data: it must be written before the application is told the send is done.
     */
    void write(ByteBuffer header, ByteBuffer payload);
}
