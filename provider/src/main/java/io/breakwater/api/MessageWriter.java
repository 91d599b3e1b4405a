package io.breakwater.api;

import java.io.IOException;
import java.io.Writer;

/**
 * {@code RemoteEndpoint.Basic.getSendWriter()}: one text message written as a stream, sent in parts of
 * up to 8 K characters as the buffer fills; closing the writer sends the last part.
 */
final class MessageWriter extends Writer {

    private static final int PART_SIZE = 8 * 1024;

    private final BasicRemote remote;
    private final StringBuilder buffer = new StringBuilder();
    private boolean closed;

    MessageWriter(BasicRemote remote) {
        this.remote = remote;
    }

    @Override
    public void write(char[] chars, int offset, int count) throws IOException {
        requireOpen();
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
            sendBuffered(true);
        }
    }

    private void sendBuffered(boolean last) throws IOException {
        String part = buffer.toString();
        buffer.setLength(0);
        remote.sendText(part, last); // holds back a split surrogate pair until the next part
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("the message writer is closed");
        }
    }
}
