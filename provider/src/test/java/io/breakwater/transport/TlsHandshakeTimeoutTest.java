package io.breakwater.transport;

import static io.breakwater.transport.Loopback.loopback;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that connects to {@link NioServer} over TLS and never completes the handshake (it sends
 * nothing, or a byte now and then) is dropped once the handshake timeout passes.
 */
@Timeout(60)
class TlsHandshakeTimeoutTest {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);
    private static final long PATIENCE_MS = 20_000;

    @Test
    void aPeerThatNeverHandshakesIsDropped() throws Exception {
        try (SelectorLoop loop = new SelectorLoop("tls-timeout", Runnable::run)) {
            loop.start();
            SSLContext context = TestTls.serverContext();
            NioServer server = NioServer.bind(loop, loopback(0), () -> {
                SSLEngine engine = context.createSSLEngine();
                engine.setUseClientMode(false);
                return engine;
            }, HANDSHAKE_TIMEOUT, transport -> new RecordingHandler());
            try (Socket silent = new Socket(loopback(0).getAddress(), server.port());
                 Socket trickling = new Socket(loopback(0).getAddress(), server.port())) {
                trickling.getOutputStream().write(0x16); // the first byte of a TLS record: a handshake
                assertTrue(droppedWithin(silent, PATIENCE_MS), "the silent peer was dropped");
                assertTrue(droppedWithin(trickling, PATIENCE_MS), "the trickling peer was dropped");
            } finally {
                server.close();
            }
        }
    }

    private static boolean droppedWithin(Socket socket, long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        InputStream in = socket.getInputStream();
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout(500);
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException stillOpen) {
                // again
            } catch (SocketException reset) {
                return true;
            }
        }
        return false;
    }
}
