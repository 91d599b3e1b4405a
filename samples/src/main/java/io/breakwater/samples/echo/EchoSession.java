package io.breakwater.samples.echo;

import io.breakwater.protocol.CloseStatus;
import io.breakwater.protocol.Connection;
import io.breakwater.protocol.ConnectionListener;
import io.breakwater.protocol.MessageExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** One echo connection: sends every message it receives back, whole, with the same type. */
final class EchoSession implements ConnectionListener {

    private final OutputStream out;
    private final Connection connection;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();

    EchoSession(OutputStream out, MessageExtension extension) {
        this.out = out;
        this.connection = Connection.server(this, this::write, extension);
    }

    void receive(ByteBuffer bytes) throws IOException {
        connection.receive(bytes);
        out.flush();
    }

    void transportClosed() {
        connection.transportClosed();
    }

    /** The close handshake is done (or the connection failed): the server closes TCP first. */
    boolean isFinished() {
        return connection.isTransportCloseDue();
    }

    @Override
    public void onText(ByteBuffer utf8, boolean last) {
        collect(utf8);
        if (last) {
            connection.sendText(ByteBuffer.wrap(message.toByteArray()), true);
            message.reset();
        }
    }

    @Override
    public void onBinary(ByteBuffer data, boolean last) {
        collect(data);
        if (last) {
            connection.sendBinary(ByteBuffer.wrap(message.toByteArray()), true);
            message.reset();
        }
    }

    @Override
    public void onClose(CloseStatus status) {
        message.reset();
    }

    private void collect(ByteBuffer piece) {
        message.write(piece.array(), piece.arrayOffset() + piece.position(), piece.remaining());
    }

    private void write(ByteBuffer header, ByteBuffer payload) {
        try {
            out.write(header.array(), header.arrayOffset() + header.position(), header.remaining());
            if (payload.hasArray()) {
                out.write(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
            } else {
                byte[] copy = new byte[payload.remaining()];
                payload.duplicate().get(copy);
                out.write(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
