package io.breakwater.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/** A started loop with a server on it, for tests that want both ends of a connection on loopback. */
final class Loopback implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    final SelectorLoop loop = new SelectorLoop("test-loop");
    final boolean tls;
    private NioServer server;

    Loopback(boolean tls) {
        this.tls = tls;
        loop.start();
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    NioServer serve(Function<? super NioTransport, ? extends TransportHandler> handlers) throws Exception {
        server = NioServer.bind(loop, loopback(0), tls ? TestTls.serverContext() : null, handlers);
        return server;
    }

    /** Connects to the server, not started. */
    NioTransport connect() throws Exception {
        return connect(loop);
    }

    NioTransport connect(SelectorLoop on) throws Exception {
        SSLContext context = tls ? TestTls.clientContext() : null;
        return NioTransport.connect(on, loopback(server.port()), Duration.ofSeconds(10), context, "localhost")
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The server side of the next connection, handled by {@code handler}. */
    static Function<NioTransport, TransportHandler> capture(CompletableFuture<NioTransport> into,
                                                            TransportHandler handler) {
        return transport -> {
            into.complete(transport);
            return handler;
        };
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
        loop.stop();
    }
}
