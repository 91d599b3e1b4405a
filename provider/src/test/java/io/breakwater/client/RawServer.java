package io.breakwater.client;

import io.breakwater.handshake.ServerHandshake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake WebSocket server on a plain {@link ServerSocket}: it accepts one connection, reads the handshake
 * request, answers with whatever bytes the test crafts (or nothing), and then reads until the client
 * closes the connection, so that a test can tell that a failed client let go of it.
 */
final class RawServer implements AutoCloseable {

    private static final Pattern KEY = Pattern.compile("(?im)^Sec-WebSocket-Key:\\s*(\\S+)\\s*$");

    private final ServerSocket socket;
    private final Thread thread;
    private volatile Socket connection;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** The request head the client sent. */
    final CompletableFuture<String> request = new CompletableFuture<>();
    /** What the client sent after the handshake request, complete once {@link #clientGone} is. */
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    /** Completes when the client has closed the connection (end of input or a reset). */
    final CompletableFuture<Void> clientGone = new CompletableFuture<>();

    /** What the fake server does after its response. */
    enum After {
        /** Reads until the client closes the connection, keeping what it sent in {@link #received}. */
        READ,
        /** Ends its output (a FIN), then reads until the client closes. */
        END_OUTPUT,
        /** Never reads again: the client's writes fill the socket buffers and stay there. */
        STALL
    }

    /** @param response the bytes to answer with, from the request's {@code Sec-WebSocket-Key}; null for no answer */
    RawServer(Function<String, byte[]> response) throws IOException {
        this(response, After.READ);
    }

    /**
     * @param response the bytes to answer with, from the request's {@code Sec-WebSocket-Key}; null for no answer
     * @param after    what to do after the response
     */
    RawServer(Function<String, byte[]> response, After after) throws IOException {
        socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(response, after), "raw-server");
        thread.setDaemon(true);
        thread.start();
    }

    /** A {@code 101} response with a correct {@code Sec-WebSocket-Accept} and the extra lines given (each ending in CRLF). */
    static byte[] switching(String key, String extraLines) {
        return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ServerHandshake.acceptKey(key) + "\r\n" + extraLines + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A server-to-client (unmasked) frame with a payload under 126 bytes. */
    static byte[] frame(int opcode, byte[] payload) {
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return frame;
    }

    /** The status code of a client's close frame (masked, RFC 6455 §5.3) at the start of {@code bytes}, or -1. */
    static int closeCode(byte[] bytes) {
        if (bytes.length < 8 || (bytes[0] & 0x0F) != 0x8 || (bytes[1] & 0x7F) < 2) {
            return -1;
        }
        int high = (bytes[6] ^ bytes[2]) & 0xFF;
        int low = (bytes[7] ^ bytes[3]) & 0xFF;
        return high << 8 | low;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + socket.getLocalPort() + path);
    }

    private void serve(Function<String, byte[]> response, After after) {
        try (Socket accepted = socket.accept()) {
            connection = accepted;
            InputStream in = connection.getInputStream();
            String head = readHead(in);
            request.complete(head);
            Matcher key = KEY.matcher(head);
            byte[] answer = response.apply(key.find() ? key.group(1) : "");
            if (answer != null) {
                accepted.getOutputStream().write(answer);
                accepted.getOutputStream().flush();
            }
            if (after == After.END_OUTPUT) {
                accepted.shutdownOutput();
            }
            if (after == After.STALL) {
                closed.await();
                return;
            }
            byte[] chunk = new byte[4096];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                received.write(chunk, 0, n); // whatever the client still sends (a close frame)
            }
            clientGone.complete(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // a reset also means that the client let go of the connection
            request.completeExceptionally(e);
            clientGone.complete(null);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed the connection during its request");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        socket.close();
        Socket accepted = connection;
        if (accepted != null) {
            accepted.close();
        }
    }
}
