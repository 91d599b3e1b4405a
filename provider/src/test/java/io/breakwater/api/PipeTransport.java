package io.breakwater.api;

import io.breakwater.transport.Transport;
import io.breakwater.transport.TransportHandler;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One end of an in-memory connection between two sessions, for unit tests of the session layer: each
 * end has its own "I/O thread", and flushed bytes arrive at the other end's handler on its thread.
 */
final class PipeTransport implements Transport {
    private final ExecutorService io;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private PipeTransport peer;
    private volatile TransportHandler handler;
    private boolean closed;

    private PipeTransport(String name) {
        this.io = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Two connected ends. */
    static PipeTransport[] pair() {
        PipeTransport client = new PipeTransport("client-io");
        PipeTransport server = new PipeTransport("server-io");
        client.peer = server;
        server.peer = client;
        return new PipeTransport[] {client, server};
    }

    void connect(TransportHandler handler) {
        this.handler = handler;
    }

    @Override
    public synchronized void write(ByteBuffer header, ByteBuffer payload) {
        if (closed) {
            return;
        }
        append(header);
        append(payload);
    }

    private void append(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        pending.writeBytes(bytes);
    }

    @Override
    public void flush(WriteCompletion done) {
        byte[] bytes;
        synchronized (this) {
            bytes = pending.toByteArray();
            pending.reset();
        }
        if (bytes.length > 0) {
            peer.io.execute(() -> peer.handler.onData(ByteBuffer.wrap(bytes)));
        }
        done.completed(null);
    }

    @Override
    public long queuedBytes() {
        return 0;
    }

    @Override
    public void suspendReading() {
    }

    @Override
    public void resumeReading() {
    }

    @Override
    public void close() {
        flush(failure -> { });
        shutDown();
    }

    @Override
    public void abort() {
        synchronized (this) {
            pending.reset();
        }
        shutDown();
    }

    private void shutDown() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        io.execute(() -> handler.onClosed(null));
        peer.io.execute(() -> {
            peer.handler.onEndOfInput();
        });
    }

    @Override
    public SocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 1);
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 2);
    }

    @Override
    public boolean isSecure() {
        return false;
    }
}
