package io.breakwater.transport;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Accepts TCP connections on a {@link SelectorLoop} and makes each an {@link NioTransport}, over TLS when
 * engines are given. Once a connection is established (after the TLS handshake, which has a deadline),
 * the {@code handlers} function is called with it, on the loop's thread, and the handler it returns is
 * started. A function that throws or returns null gets the connection closed with a reset.
 *
 * <p>For tests and the standalone test server; a servlet container brings its own.
 */
public final class NioServer implements AutoCloseable {

    /** How long an accepted connection has, by default, to complete the TLS handshake. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger(NioServer.class.getName());
    private static final int BACKLOG = 1024;
    private static final int MAX_ACCEPTS_PER_EVENT = 64;
    /** How long accepting pauses after it failed (too many open files, say), rather than spin. */
    private static final Duration ACCEPT_RETRY_DELAY = Duration.ofMillis(100);

    private final SelectorLoop loop;
    private final ServerSocketChannel serverChannel;
    private final InetSocketAddress localAddress;
    private final Supplier<SSLEngine> engines;
    private final Duration handshakeTimeout;
    private final Function<? super NioTransport, ? extends TransportHandler> handlers;
    private volatile SelectionKey key;

    private NioServer(SelectorLoop loop, ServerSocketChannel serverChannel, Supplier<SSLEngine> engines,
                      Duration handshakeTimeout, Function<? super NioTransport, ? extends TransportHandler> handlers)
            throws IOException {
        this.loop = loop;
        this.serverChannel = serverChannel;
        this.localAddress = (InetSocketAddress) serverChannel.getLocalAddress();
        this.engines = engines;
        this.handshakeTimeout = handshakeTimeout;
        this.handlers = handlers;
    }

    /**
     * Listens on {@code address} (port 0 picks a free port; see {@link #port()}), in the clear or, when
     * {@code sslContext} is given, over TLS in server mode.
     */
    public static NioServer bind(SelectorLoop loop, InetSocketAddress address, SSLContext sslContext,
                                 Function<? super NioTransport, ? extends TransportHandler> handlers)
            throws IOException {
        Supplier<SSLEngine> engines = sslContext == null ? null : () -> {
            SSLEngine engine = sslContext.createSSLEngine();
            engine.setUseClientMode(false);
            return engine;
        };
        return bind(loop, address, engines, DEFAULT_HANDSHAKE_TIMEOUT, handlers);
    }

    /**
     * Listens on {@code address}; each connection gets an engine from {@code engines} (server mode,
     * configured as wanted: client authentication, protocols), or none when {@code engines} is null.
     *
     * @param handshakeTimeout how long a TLS handshake may take; null for no limit
     */
    public static NioServer bind(SelectorLoop loop, InetSocketAddress address, Supplier<SSLEngine> engines,
                                 Duration handshakeTimeout,
                                 Function<? super NioTransport, ? extends TransportHandler> handlers)
            throws IOException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(handlers, "handlers");
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, BACKLOG);
            channel.configureBlocking(false);
            NioServer server = new NioServer(loop, channel, engines, handshakeTimeout, handlers);
            server.register();
            return server;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The address listened on, with the actual port. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public int port() {
        return localAddress.getPort();
    }

    /** Stops accepting; connections already accepted stay open. */
    @Override
    public void close() {
        if (loop.inLoop()) {
            closeChannel();
            return;
        }
        try {
            loop.execute(this::closeChannel);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            closeChannel();
        }
    }

    @Override
    public String toString() {
        return "NioServer[" + localAddress + (engines != null ? ", TLS" : "") + "]";
    }

    private void register() throws IOException {
        if (loop.inLoop()) {
            key = loop.register(serverChannel, SelectionKey.OP_ACCEPT, new Acceptor());
            return;
        }
        CompletableFuture<SelectionKey> registered = new CompletableFuture<>();
        loop.execute(() -> {
            if (!loop.isRunning()) {
                registered.completeExceptionally(new IOException("selector loop " + loop.name() + " stopped"));
                return;
            }
            try {
                registered.complete(loop.register(serverChannel, SelectionKey.OP_ACCEPT, new Acceptor()));
            } catch (IOException | RuntimeException e) {
                registered.completeExceptionally(e);
            }
        });
        try {
            key = registered.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("selector loop " + loop.name() + " did not register the server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while registering the server", e);
        }
    }

    private void closeChannel() {
        SelectionKey k = key;
        if (k != null) {
            k.cancel();
        }
        try {
            serverChannel.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }

    private final class Acceptor implements SelectorHandler {
        @Override
        public void ready(SelectionKey serverKey) {
            for (int i = 0; i < MAX_ACCEPTS_PER_EVENT; i++) {
                SocketChannel accepted;
                try {
                    accepted = serverChannel.accept();
                } catch (IOException e) {
                    if (!serverChannel.isOpen()) {
                        return;
                    }
                    LOG.log(Level.WARNING, "accept failed on " + localAddress + "; pausing", e);
                    serverKey.interestOps(0);
                    loop.schedule(ACCEPT_RETRY_DELAY, () -> {
                        if (serverKey.isValid()) {
                            serverKey.interestOps(SelectionKey.OP_ACCEPT);
                        }
                    });
                    return;
                }
                if (accepted == null) {
                    return;
                }
                open(accepted);
            }
        }

        @Override
        public void loopStopped(IOException cause) {
            closeChannel();
        }
    }

    private void open(SocketChannel accepted) {
        try {
            accepted.configureBlocking(false);
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey connectionKey = loop.register(accepted, 0, null);
            Established establishment = new Established();
            NioTransport transport = new NioTransport(loop, accepted, connectionKey,
                    engines == null ? null : engines.get(), establishment);
            if (engines != null && handshakeTimeout != null) {
                establishment.timer = loop.schedule(handshakeTimeout, () -> transport.failEstablishment(
                        new SocketTimeoutException("TLS handshake with " + transport.remoteAddress()
                                + " timed out after " + handshakeTimeout.toMillis() + " ms")));
            }
            transport.begin();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "cannot set up an accepted connection", e);
            try {
                accepted.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    /** Hands an established connection to {@link #handlers}. */
    private final class Established implements NioTransport.Establishment {
        SelectorLoop.Timeout timer;

        @Override
        public void established(NioTransport transport) {
            if (timer != null) {
                timer.cancel();
            }
            TransportHandler handler;
            try {
                handler = handlers.apply(transport);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "connection handler factory failed for " + transport, e);
                transport.failEstablishment(e);
                return;
            }
            if (handler == null) {
                transport.failEstablishment(new IOException("connection refused by the handler factory"));
                return;
            }
            transport.startInLoop(handler);
        }

        @Override
        public void failed(Throwable failure) {
            if (timer != null) {
                timer.cancel();
            }
            LOG.log(Level.DEBUG, () -> "connection to " + localAddress + " failed before it was established: "
                    + failure);
        }
    }
}
