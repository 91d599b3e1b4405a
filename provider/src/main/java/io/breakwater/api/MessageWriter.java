package io.breakwater.api;

import java.io.IOException;
import java.io.Writer;

/**
 * {@code RemoteEndpoint.Basic.getSendWriter()}: one text message written as a stream, sent in parts of
 * up to 8 K characters as the buffer fills; closing the writer sends the last part,
 * or no message at all when nothing was ever written.
 */
final class MessageWriter extends Writer {

    private static final int PART_SIZE = 8 * 1024;

    private final BasicRemote remote;
    private final StringBuilder buffer = new StringBuilder();
    private boolean closed;
    /** Whether write or append was called at all: a writer closed without one sends no message (Basic.getSendWriter). */
    private boolean written;

    MessageWriter(BasicRemote remote) {
        this.remote = remote;
    }

    @Override
    public void write(char[] chars, int offset, int count) throws IOException {
        requireOpen();
        written = true;
        buffer.append(chars, offset, count);
        if (buffer.length() >= PART_SIZE) {
            sendBuffered(false);
        }
    }

    @Override
    public void flush() throws IOException {
        requireOpen();
        if (buffer.length() > 0) {
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
        String part = buffer.toString();
        buffer.setLength(0);
        remote.sendTextPart(this, part, last); // the writer owns its message; a split surrogate pair waits for the next part
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("the message writer is closed");
        }
    }
}
