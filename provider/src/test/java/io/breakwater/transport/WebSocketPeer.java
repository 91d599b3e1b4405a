package io.breakwater.transport;

import io.breakwater.handshake.ClientHandshake;
import io.breakwater.handshake.HandshakeException;
import io.breakwater.handshake.HttpHeaders;
import io.breakwater.handshake.HttpRequestHead;
import io.breakwater.handshake.HttpResponseHead;
import io.breakwater.handshake.ServerHandshake;
import io.breakwater.protocol.CloseStatus;
import io.breakwater.protocol.Connection;
import io.breakwater.protocol.ConnectionListener;
import io.breakwater.protocol.MaskKeySource;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One end of a WebSocket connection over a transport, as small as a test allows: the opening handshake
 * with the handshake package, then a {@link Connection}. The loop thread feeds it input; the test thread
 * sends; the monitor of this object keeps the two apart, since a connection is not thread-safe. A
 * server end echoes every message.
 */
final class WebSocketPeer implements TransportHandler, ConnectionListener {

    private static final Transport.WriteCompletion IGNORE = failure -> { };

    private final Transport transport;
    private final ClientHandshake clientHandshake;
    private final boolean echo;
    private HttpRequestHead.Parser requestParser;
    private HttpResponseHead.Parser responseParser;
    private Connection connection;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    final CompletableFuture<Void> open = new CompletableFuture<>();
    /** Messages received: a String per text message, a byte[] per binary one. */
    final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseStatus> closeStatus = new CompletableFuture<>();
    final CompletableFuture<Throwable> transportClosed = new CompletableFuture<>();
    final AtomicInteger transportClosedCalls = new AtomicInteger();
    final AtomicInteger echoed = new AtomicInteger();

    private WebSocketPeer(Transport transport, ClientHandshake clientHandshake, boolean echo) {
        this.transport = transport;
        this.clientHandshake = clientHandshake;
        this.echo = echo;
        if (clientHandshake != null) {
            responseParser = HttpResponseHead.parser();
        } else {
            requestParser = HttpRequestHead.parser();
        }
    }

    /** Starts the transport and sends the opening handshake request. */
    static WebSocketPeer client(NioTransport transport, URI uri) {
        WebSocketPeer peer = new WebSocketPeer(transport, ClientHandshake.builder(uri).build(), false);
        transport.start(peer);
        transport.write(ByteBuffer.wrap(peer.clientHandshake.request().encode()), null);
        transport.flush(IGNORE);
        return peer;
    }

    /** A server end that echoes; the caller returns it from the server's handler factory. */
    static WebSocketPeer echoServer(NioTransport transport) {
        return new WebSocketPeer(transport, null, true);
    }

    // ------------------------------------------------------------------------------- from the test

    synchronized void sendText(String text) {
        connection.sendText(text);
        transport.flush(IGNORE);
    }

    synchronized void sendBinary(byte[] data) {
        connection.sendBinary(ByteBuffer.wrap(data), true);
        transport.flush(IGNORE);
    }

    synchronized void close() {
        connection.close(CloseStatus.NORMAL);
        transport.flush(IGNORE);
    }

    // ------------------------------------------------------------------------- from the transport

    @Override
    public synchronized void onData(ByteBuffer data) {
        if (connection == null) {
            try {
                if (!handshake(data)) {
                    return;
                }
            } catch (HandshakeException e) {
                open.completeExceptionally(e);
                transport.abort();
                return;
            }
        }
        connection.receive(data);
        if (connection.isTransportCloseDue()) {
            transport.close();
        }
    }

    /** Reads the handshake; whether it is complete (the connection exists, {@code data} holds what follows). */
    private boolean handshake(ByteBuffer data) throws HandshakeException {
        if (clientHandshake != null) {
            Optional<HttpResponseHead> response = responseParser.parse(data);
            if (response.isEmpty()) {
                return false;
            }
            clientHandshake.validate(response.get());
            connection = Connection.client(this, transport::write, null, MaskKeySource.secure());
        } else {
            Optional<HttpRequestHead> request = requestParser.parse(data);
            if (request.isEmpty()) {
                return false;
            }
            if (!(ServerHandshake.validate(request.get()) instanceof ServerHandshake.Accepted accepted)) {
                throw new HandshakeException(400, "refused");
            }
            HttpResponseHead response = ServerHandshake.acceptResponse(accepted, null, List.of(), new HttpHeaders());
            transport.write(ByteBuffer.wrap(response.encode()), null);
            transport.flush(IGNORE);
            connection = Connection.server(this, transport::write, null);
        }
        open.complete(null);
        return true;
    }

    @Override
    public synchronized void onEndOfInput() {
        if (connection != null) {
            connection.transportClosed();
        }
        transport.close();
    }

    @Override
    public void onClosed(Throwable failure) {
        transportClosedCalls.incrementAndGet();
        synchronized (this) {
            if (connection != null) {
                connection.transportClosed();
            }
        }
        open.completeExceptionally(failure != null ? failure : new IllegalStateException("closed"));
        transportClosed.complete(failure);
    }

    // ------------------------------------------------------------------------ from the connection

    @Override
    public void onText(ByteBuffer utf8, boolean last) {
        append(utf8);
        if (last) {
            String text = new String(partial.toByteArray(), StandardCharsets.UTF_8);
            partial.reset();
            if (echo) {
                connection.sendText(text);
                transport.flush(IGNORE);
                echoed.incrementAndGet();
            } else {
                messages.add(text);
            }
        }
    }

    @Override
    public void onBinary(ByteBuffer data, boolean last) {
        append(data);
        if (last) {
            byte[] message = partial.toByteArray();
            partial.reset();
            if (echo) {
                connection.sendBinary(ByteBuffer.wrap(message), true);
                transport.flush(IGNORE);
                echoed.incrementAndGet();
            } else {
                messages.add(message);
            }
        }
    }

    @Override
    public void onClose(CloseStatus status) {
        transport.flush(IGNORE);
        closeStatus.complete(status);
    }

    private void append(ByteBuffer piece) {
        byte[] bytes = new byte[piece.remaining()];
        piece.get(bytes);
        partial.write(bytes, 0, bytes.length);
    }
}
