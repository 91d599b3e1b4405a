package io.breakwater.api;

import io.breakwater.api.OutboundChannel.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * {@code RemoteEndpoint.Basic.getSendStream()}: one binary message written as a stream, sent in parts
 * of up to 8 KiB as the buffer fills; closing the stream sends the last part,
 * or no message at all when nothing was ever written.
 */
final class MessageOutputStream extends OutputStream {

    private static final int PART_SIZE = 8 * 1024;

    private final BasicRemote remote;
    private byte[] buffer = new byte[PART_SIZE];
    private int length;
    private boolean closed;
    /** Whether write was called at all: a stream closed without one sends no message (Basic.getSendStream). */
    private boolean written;

    MessageOutputStream(BasicRemote remote) {
        this.remote = remote;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int count) throws IOException {
        requireOpen();
        written = true;
        while (count > 0) {
            if (length == buffer.length) {
                sendBuffered(false);
            }
            int taken = Math.min(count, buffer.length - length);
            System.arraycopy(bytes, offset, buffer, length, taken);
            length += taken;
            offset += taken;
            count -= taken;
        }
    }

    @Override
    public void flush() throws IOException {
        requireOpen();
        if (length > 0) {
            sendBuffered(false);
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            if (written) {
                sendBuffered(true); // even of zero length, once write was called
            }
        }
    }

    private void sendBuffered(boolean last) throws IOException {
        ByteBuffer part = ByteBuffer.wrap(buffer, 0, length);
        // The channel may write the part after this returns, so the next part gets a fresh buffer.
        buffer = new byte[PART_SIZE];
        length = 0;
        remote.sendPart(this, Kind.BINARY, part, last); // the stream owns its message, whichever thread writes
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("the message stream is closed");
        }
    }
}
