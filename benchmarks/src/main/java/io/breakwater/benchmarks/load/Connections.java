package io.breakwater.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * WebSocket connections to one server, upgraded and left non-blocking for a load generator to drive or
 * to sit idle. They are opened by a few threads at once with blocking handshakes, so that ten thousand
 * of them take seconds, not minutes; every one of them must have agreed to the extension required.
 */
public final class Connections implements AutoCloseable {

    private static final int OPENING_THREADS = 4;
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;

    private final List<Upgraded> upgraded;

    /** One upgraded connection and any bytes its server sent right after the handshake. */
    record Upgraded(SocketChannel channel, Handshake.Response response) {
    }

    private Connections(List<Upgraded> upgraded) {
        this.upgraded = upgraded;
    }

    /**
     * Opens {@code count} connections to {@code server} and upgrades them on {@code path}, offering
     * {@code extensionOffer} (or nothing when null).
     *
     * @param requiredExtension an extension every server response must agree to, or null
     * @throws ExtensionRefusedException when a response does not name {@code requiredExtension}
     */
    public static Connections open(InetSocketAddress server, String path, int count, String extensionOffer,
                                   String requiredExtension) throws IOException {
        SourceAddresses sources = new SourceAddresses();
        List<Upgraded> opened = Collections.synchronizedList(new ArrayList<>(count));
        ExecutorService openers = Executors.newFixedThreadPool(Math.min(OPENING_THREADS, count), runnable -> {
            Thread thread = new Thread(runnable, "connection-opener");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> tasks = new ArrayList<>();
            int threads = Math.min(OPENING_THREADS, count);
            for (int t = 0; t < threads; t++) {
                int share = count / threads + (t < count % threads ? 1 : 0);
                tasks.add(openers.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        opened.add(openOne(server, path, extensionOffer, requiredExtension, sources));
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        } catch (ExecutionException e) {
            closeAll(opened);
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            closeAll(opened);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening connections", e);
        } finally {
            openers.shutdownNow();
        }
        return new Connections(new ArrayList<>(opened));
    }

    private static Upgraded openOne(InetSocketAddress server, String path, String extensionOffer,
                                    String requiredExtension, SourceAddresses sources) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            sources.bindNext(channel);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(server);
            channel.socket().setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            Handshake.Response response = Handshake.perform(channel, path, extensionOffer);
            if (requiredExtension != null && !response.negotiated(requiredExtension)) {
                throw new ExtensionRefusedException(requiredExtension, response.extensions());
            }
            channel.configureBlocking(false);
            return new Upgraded(channel, response);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    List<Upgraded> upgraded() {
        return upgraded;
    }

    public int size() {
        return upgraded.size();
    }

    /** How many connections the server has closed (or reset) so far; for connections left idle. */
    public int closedByServer() {
        ByteBuffer sink = ByteBuffer.allocate(1024);
        int closed = 0;
        for (Upgraded connection : upgraded) {
            try {
                int read;
                do {
                    sink.clear();
                    read = connection.channel().read(sink);
                } while (read > 0);
                if (read < 0) {
                    closed++;
                }
            } catch (IOException e) {
                closed++;
            }
        }
        return closed;
    }

    @Override
    public void close() {
        closeAll(upgraded);
    }

    private static void closeAll(List<Upgraded> connections) {
        synchronized (connections) {
            for (Upgraded connection : connections) {
                try {
                    connection.channel().close();
                } catch (IOException ignored) {
                    // Closing is best effort; the server process is stopped after the measurement anyway.
                }
            }
        }
    }
}
