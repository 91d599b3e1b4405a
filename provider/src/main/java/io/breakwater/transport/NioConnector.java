package io.breakwater.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * One client connection attempt: resolve (if needed, off the loop), non-blocking TCP connect on the
 * loop, then the TLS handshake through {@link NioTransport}, all under one deadline.
 */
final class NioConnector implements SelectorHandler, NioTransport.Establishment {

    private final SelectorLoop loop;
    private final InetSocketAddress requested;
    private final Duration timeout;
    private final Supplier<SSLEngine> engines;
    private final CompletableFuture<NioTransport> future = new CompletableFuture<>();

    // The loop's thread only, once the attempt is there.
    private SocketChannel channel;
    private NioTransport transport;
    private SelectorLoop.Timeout timer;

    private NioConnector(SelectorLoop loop, InetSocketAddress address, Duration timeout, Supplier<SSLEngine> engines) {
        this.loop = loop;
        this.requested = address;
        this.timeout = timeout;
        this.engines = engines;
    }

    static CompletableFuture<NioTransport> connect(SelectorLoop loop, InetSocketAddress address, Duration timeout,
                                                   Supplier<SSLEngine> engines) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(address, "address");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("connect timeout must be positive: " + timeout);
        }
        NioConnector attempt = new NioConnector(loop, address, timeout, engines);
        attempt.begin();
        return attempt.future;
    }

    /** A client engine for {@code address}: host name verification as for HTTPS, and SNI for a host name. */
    static SSLEngine clientEngine(SSLContext context, InetSocketAddress address, String sniHostName) {
        String host = sniHostName != null ? sniHostName : address.getHostString();
        SSLEngine engine = context.createSSLEngine(host, address.getPort());
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        // Without this the engine accepts any trusted certificate, whatever name it was issued for.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (isHostName(host)) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException e) {
                // not a name SNI can carry; the handshake goes on without it
            }
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** RFC 6066 §3: SNI carries DNS names, not IP literals. */
    private static boolean isHostName(String host) {
        if (host.isEmpty() || host.indexOf(':') >= 0) {
            return false; // empty, or an IPv6 literal
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return true;
            }
        }
        return false; // an IPv4 literal
    }

    private void begin() {
        try {
            if (timeout != null) {
                timer = loop.schedule(timeout, this::timedOut);
            }
            if (requested.isUnresolved()) {
                loop.blockingExecutor().execute(this::resolve);
            } else {
                loop.execute(() -> open(requested));
            }
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new ConnectException("cannot connect to " + describe(requested)
                    + ": selector loop " + loop.name() + " is not running"));
        }
        future.whenComplete((t, e) -> {
            if (future.isCancelled()) {
                try {
                    loop.execute(this::abandon);
                } catch (RejectedExecutionException ignored) {
                    // the loop closed everything as it stopped
                }
            }
        });
    }

    private void resolve() {
        InetSocketAddress resolved;
        try {
            resolved = new InetSocketAddress(InetAddress.getByName(requested.getHostString()), requested.getPort());
        } catch (UnknownHostException e) {
            UnknownHostException failure = new UnknownHostException("cannot resolve " + requested.getHostString());
            failure.initCause(e);
            finish(failure);
            return;
        }
        try {
            loop.execute(() -> open(resolved));
        } catch (RejectedExecutionException e) {
            finish(new ConnectException("cannot connect to " + describe(requested)
                    + ": selector loop " + loop.name() + " is not running"));
        }
    }

    /** On the loop: opens the socket and starts the non-blocking connect. */
    private void open(InetSocketAddress address) {
        if (future.isDone()) {
            return; // timed out or cancelled meanwhile
        }
        if (!loop.isRunning()) {
            // Run by the loop's last drain of its queue: a channel registered now would never be closed.
            finish(new ConnectException("cannot connect to " + describe(requested)
                    + ": selector loop " + loop.name() + " stopped"));
            return;
        }
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            // Frames are gathered by the transport already; Nagle would only add latency.
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey key = loop.register(channel, 0, this);
            if (channel.connect(address)) {
                connected(key);
            } else {
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException | RuntimeException e) {
            connectFailed(e);
        }
    }

    @Override
    public void ready(SelectionKey key) {
        try {
            if (channel.finishConnect()) {
                connected(key);
            }
        } catch (IOException | RuntimeException e) {
            connectFailed(e);
        }
    }

    private void connected(SelectionKey key) throws IOException {
        key.interestOps(0);
        transport = new NioTransport(loop, channel, key, engines == null ? null : engines.get(), this);
        transport.begin();
    }

    @Override
    public void loopStopped(IOException cause) {
        closeChannel();
        finish(cause);
    }

    @Override
    public void established(NioTransport established) {
        if (timer != null) {
            timer.cancel();
        }
        if (!future.complete(established)) {
            established.failEstablishment(new ConnectException("connection attempt abandoned"));
        }
    }

    @Override
    public void failed(Throwable failure) {
        finish(failure);
    }

    private void timedOut() {
        if (future.isDone()) {
            return;
        }
        String step = transport == null ? "connect to " : "TLS handshake with ";
        SocketTimeoutException failure = new SocketTimeoutException(
                step + describe(requested) + " timed out after " + timeout.toMillis() + " ms");
        if (transport != null) {
            transport.failEstablishment(failure); // reports back through failed()
        } else {
            closeChannel();
            finish(failure);
        }
    }

    private void abandon() {
        if (transport != null) {
            transport.failEstablishment(new ConnectException("connection attempt abandoned"));
        } else {
            closeChannel();
        }
    }

    private void connectFailed(Exception cause) {
        closeChannel();
        ConnectException failure = new ConnectException("cannot connect to " + describe(requested) + ": "
                + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()));
        failure.initCause(cause);
        finish(failure);
    }

    private void finish(Throwable failure) {
        if (timer != null) {
            timer.cancel();
        }
        future.completeExceptionally(failure);
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to release
            }
        }
    }

    /** host:port as asked for, with the address it resolved to when known. */
    private static String describe(InetSocketAddress address) {
        return address.toString();
    }
}
