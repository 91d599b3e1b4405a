package io.breakwater.samples.echo;

import io.breakwater.deflate.DeflateConfig;
import io.breakwater.deflate.DeflateNegotiation;
import io.breakwater.handshake.HandshakeException;
import io.breakwater.handshake.HttpHeaders;
import io.breakwater.handshake.HttpRequestHead;
import io.breakwater.handshake.HttpResponseHead;
import io.breakwater.handshake.ServerHandshake;
import io.breakwater.protocol.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An echo server on Breakwater's engine alone, with plain blocking sockets and a thread per
 * connection: {@code ws://localhost:8080/echo} echoes every message, with permessage-deflate when the
 * client offers it, and {@code http://localhost:8080/} serves a page to try it from a browser.
 *
 * <p>It shows the engine's shape (handshake functions, a sans-I/O connection, a thin transport
 * loop); applications use the Jakarta WebSocket API deployed in a servlet container instead.
 */
public final class EchoServer {

    private static final int DEFAULT_PORT = 8080;

    private final ServerSocket listener;
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "echo-connection");
        thread.setDaemon(true);
        return thread;
    });

    private EchoServer(ServerSocket listener) {
        this.listener = listener;
    }

    /** Starts listening on {@code port} (0 picks a free one) of the loopback and any other interface. */
    public static EchoServer start(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        try {
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        EchoServer server = new EchoServer(socket);
        Thread acceptor = new Thread(server::acceptLoop, "echo-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    public int port() {
        return listener.getLocalPort();
    }

    public void stop() throws IOException {
        listener.close();
        connections.shutdownNow();
    }

    public static void main(String[] args) throws Exception {
        int port = port(args);
        EchoServer server;
        try {
            server = start(port);
        } catch (BindException e) {
            System.err.println("Port " + port + " is already in use; choose another with --port N or PORT=N.");
            System.exit(1);
            return;
        }
        System.out.println("Breakwater echo server: open http://localhost:" + server.port()
                + "/ or connect to ws://localhost:" + server.port() + "/echo (Ctrl-C stops it)");
        Thread.currentThread().join();
    }

    private static int port(String[] args) {
        String value = System.getenv().getOrDefault("PORT", String.valueOf(DEFAULT_PORT));
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--port")) {
                value = args[i + 1];
            }
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            System.err.println("Not a port number: " + value);
            System.exit(2);
            return -1;
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                connections.execute(() -> serve(socket));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println("accept failed: " + e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            Optional<HttpRequestHead> head = readHead(in, buffer);
            if (head.isEmpty()) {
                return;
            }
            // Other upgrades (an HTTP/2 client's "Upgrade: h2c") are plain requests to this server.
            if (!head.get().headers().containsToken("Upgrade", "websocket")) {
                servePage(head.get(), out);
                return;
            }
            upgrade(head.get(), in, out, buffer);
        } catch (IOException | UncheckedIOException e) {
            // The peer went away; nothing to report for an echo server.
        }
    }

    /** Reads the request head; bytes after it (the first frames) stay in {@code buffer}, ready to read. */
    private static Optional<HttpRequestHead> readHead(InputStream in, ByteBuffer buffer) throws IOException {
        HttpRequestHead.Parser parser = HttpRequestHead.parser();
        try {
            while (true) {
                int read = in.read(buffer.array(), buffer.position(), buffer.remaining());
                if (read < 0) {
                    return Optional.empty();
                }
                buffer.position(buffer.position() + read).flip();
                Optional<HttpRequestHead> head = parser.parse(buffer);
                buffer.compact();
                if (head.isPresent()) {
                    buffer.flip();
                    return head;
                }
            }
        } catch (HandshakeException e) {
            return Optional.empty();
        }
    }

    private static void servePage(HttpRequestHead request, OutputStream out) throws IOException {
        String path = request.target();
        if (!path.equals("/") && !path.equals("/index.html")) {
            byte[] body = "Not found\n".getBytes(StandardCharsets.UTF_8);
            out.write(HttpResponseHead.of(404, HttpHeaders.of("Content-Type", "text/plain; charset=utf-8",
                    "Content-Length", String.valueOf(body.length), "Connection", "close")).encode());
            out.write(body);
            return;
        }
        byte[] body;
        try (InputStream page = EchoServer.class.getResourceAsStream("index.html")) {
            body = page.readAllBytes();
        }
        out.write(HttpResponseHead.of(200, HttpHeaders.of("Content-Type", "text/html; charset=utf-8",
                "Content-Length", String.valueOf(body.length), "Connection", "close")).encode());
        out.write(body);
    }

    private static void upgrade(HttpRequestHead request, InputStream in, OutputStream out, ByteBuffer buffer)
            throws IOException {
        ServerHandshake.Outcome outcome = ServerHandshake.validate(request);
        if (outcome instanceof ServerHandshake.Rejected rejected) {
            out.write(ServerHandshake.rejectResponse(rejected));
            return;
        }
        ServerHandshake.Accepted accepted = (ServerHandshake.Accepted) outcome;
        if (!accepted.target().equals("/echo") && !accepted.target().startsWith("/echo?")) {
            out.write(ServerHandshake.rejectResponse(
                    new ServerHandshake.Rejected(404, "no endpoint at " + accepted.target(), new HttpHeaders())));
            return;
        }
        Optional<DeflateNegotiation.Agreement> deflate =
                DeflateNegotiation.negotiateAsServer(accepted.extensions(), DeflateConfig.DEFAULTS);
        out.write(ServerHandshake.acceptResponse(accepted, null,
                deflate.map(agreement -> List.of(agreement.response())).orElse(List.of()), new HttpHeaders()).encode());
        out.flush();

        EchoSession session = new EchoSession(out,
                deflate.map(agreement -> agreement.parameters().newExtension(Role.SERVER, DeflateConfig.DEFAULTS))
                        .orElse(null));
        session.receive(buffer);
        while (!session.isFinished()) {
            buffer.clear();
            int read = in.read(buffer.array());
            if (read < 0) {
                session.transportClosed();
                return;
            }
            session.receive(buffer.limit(read));
        }
    }
}
