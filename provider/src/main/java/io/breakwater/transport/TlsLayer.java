package io.breakwater.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * The {@link SSLEngine} of a TLS transport with its two network buffers, and the buffer arithmetic of
 * {@code wrap}/{@code unwrap}. The handshake and data state machine is {@link NioTransport}'s; this
 * class only moves bytes. Used on the selector thread only (delegated tasks aside).
 */
final class TlsLayer {

    /** Records bigger than this are refused instead of growing the input buffer further. */
    private static final int MAX_NET_BUFFER = 1 << 20;
    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    final SSLEngine engine;
    /** Ciphertext read and not yet unwrapped, at [0, position): kept in fill mode. */
    private ByteBuffer netIn;
    /** Ciphertext wrapped and not yet written, at [position, limit): kept in drain mode. */
    private ByteBuffer netOut;
    /** Plaintext decrypted but not yet delivered (during the handshake, or when reading was suspended). */
    private ByteBuffer stash;

    /** Plaintext bytes wrapped into {@link #netOut} and not yet counted as written. */
    long wrappedPending;
    /** Whether delegated tasks are running on the blocking executor: the engine must not be driven. */
    boolean taskRunning;
    /** Whether a wrap could take no data because the engine waits for the peer (a renegotiation). */
    boolean writeStalled;
    boolean closeOutboundStarted;

    TlsLayer(SSLEngine engine) {
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet);
        // Room for two records, so that a large write costs half as many system calls.
        netOut = ByteBuffer.allocate(2 * packet).flip();
    }

    // ------------------------------------------------------------------------------------------ input

    boolean hasBufferedInput() {
        return netIn.position() > 0;
    }

    /** Reads ciphertext from the channel, making room first if a record does not fit. */
    int read(SocketChannel channel) throws IOException {
        if (!netIn.hasRemaining()) {
            // A whole record did not fit: the session allows bigger ones than the buffer was made for.
            int size = Math.max(engine.getSession().getPacketBufferSize(), netIn.capacity() * 2);
            if (netIn.capacity() >= MAX_NET_BUFFER) {
                throw new SSLException("TLS record larger than " + MAX_NET_BUFFER + " bytes");
            }
            netIn = grow(netIn.flip(), Math.min(size, MAX_NET_BUFFER));
        }
        return channel.read(netIn);
    }

    /** Unwraps from the buffered ciphertext into {@code app}. */
    SSLEngineResult unwrap(ByteBuffer app) throws SSLException {
        netIn.flip();
        try {
            return engine.unwrap(netIn, app);
        } finally {
            netIn.compact();
        }
    }

    boolean hasStash() {
        return stash != null && stash.hasRemaining();
    }

    /** Keeps the plaintext {@code app} holds (flipped) for later delivery, after anything kept before. */
    void stash(ByteBuffer app) {
        if (stash == null || !stash.hasRemaining()) {
            stash = ByteBuffer.allocate(app.remaining()).put(app).flip();
        } else {
            stash = grow(stash, stash.remaining() + app.remaining()).put(app).flip();
        }
    }

    /** The kept plaintext, handed over: the caller delivers it. */
    ByteBuffer takeStash() {
        ByteBuffer kept = stash;
        stash = null;
        return kept;
    }

    // ----------------------------------------------------------------------------------------- output

    boolean hasPendingOutput() {
        return netOut.hasRemaining();
    }

    /** Writes buffered ciphertext; whether all of it went. */
    boolean flush(SocketChannel channel) throws IOException {
        if (netOut.hasRemaining()) {
            channel.write(netOut);
        }
        return !netOut.hasRemaining();
    }

    /**
     * Encrypts as much of {@code sources} as fits into the (empty) output buffer.
     *
     * @return the plaintext bytes consumed
     * @throws SSLException if the engine is closed or fails
     */
    long wrap(ByteBuffer[] sources, int count) throws SSLException {
        netOut.clear();
        long consumed = 0;
        try {
            while (true) {
                SSLEngineResult result = engine.wrap(sources, 0, count, netOut);
                consumed += result.bytesConsumed();
                switch (result.getStatus()) {
                    case BUFFER_OVERFLOW:
                        if (netOut.position() > 0) {
                            return consumed; // full: write it out first
                        }
                        netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2,
                                engine.getSession().getPacketBufferSize()));
                        continue;
                    case CLOSED:
                        throw new SSLException("the TLS connection is closed; no more data can be sent");
                    default:
                        break;
                }
                SSLEngineResult.HandshakeStatus handshake = result.getHandshakeStatus();
                boolean handshaking = handshake != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                        && handshake != SSLEngineResult.HandshakeStatus.FINISHED;
                if (result.bytesConsumed() == 0 || handshaking) {
                    return consumed;
                }
            }
        } finally {
            netOut.flip();
        }
    }

    /**
     * Wraps a message of the engine's own (handshake, alert, close_notify) into the (empty) output buffer.
     *
     * @return the bytes produced
     */
    int wrapControl() throws SSLException {
        netOut.clear();
        try {
            while (true) {
                SSLEngineResult result = engine.wrap(NOTHING, netOut);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && netOut.position() == 0) {
                    netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2,
                            engine.getSession().getPacketBufferSize()));
                    continue;
                }
                return result.bytesProduced();
            }
        } finally {
            netOut.flip();
        }
    }

    /**
     * After a TLS failure, writes the alert the engine has for the peer, if it fits in the socket buffer
     * now; the connection is closed next either way, so nothing waits for it.
     */
    void sendAlertQuietly(SocketChannel channel) {
        try {
            flush(channel);
            for (int i = 0; i < 4 && engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP; i++) {
                if (wrapControl() == 0 || !flush(channel)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the connection is failing anyway
        }
    }

    private static ByteBuffer grow(ByteBuffer readable, int capacity) {
        return ByteBuffer.allocate(Math.max(capacity, readable.remaining())).put(readable);
    }
}
