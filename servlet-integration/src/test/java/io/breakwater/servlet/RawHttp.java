package io.breakwater.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP as bytes on a socket, for handshakes no well-behaved client would send. */
final class RawHttp {

    private RawHttp() {
    }

    /** A WebSocket opening handshake for {@code target}, without Content-Length, as browsers send it. */
    static String handshake(String target, String... extraHeaders) {
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String header : extraHeaders) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** Sends {@code request} as is and returns the response head. */
    static String exchange(int port, String request) throws IOException {
        return exchange(port, request, 10_000);
    }

    /** As {@link #exchange(int, String)}, waiting at most {@code millis} for each read. */
    static String exchange(int port, String request, int millis) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readHead(socket.getInputStream());
        }
    }

    /**
     * Sends {@code request} as is and returns the whole response: the head, then as many bytes of body
     * as its {@code Content-Length} says (decoded as UTF-8).
     *
     * @throws IOException also when the response has no {@code Content-Length}
     */
    static String exchangeWhole(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int length = -1;
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                    length = Integer.parseInt(line.substring(colon + 1).trim());
                }
            }
            if (length < 0) {
                throw new IOException("the response has no Content-Length: " + head);
            }
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new IOException("the body ended after " + body.length + " of " + length + " bytes: " + head);
            }
            return head + new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The body of a response from {@link #exchangeWhole}: what follows the blank line after the head. */
    static String body(String response) {
        int end = response.indexOf("\r\n\r\n");
        return end < 0 ? "" : response.substring(end + 4);
    }

    /** Reads up to and including the blank line that ends an HTTP head. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    /**
     * Reads, discarding everything, until the server ends the connection (end of stream or a reset) and
     * returns true; false if it is still open after {@code millis}.
     */
    static boolean awaitEnd(Socket socket, long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        byte[] sink = new byte[64 * 1024];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, Math.min(500, (deadline - System.nanoTime()) / 1_000_000)));
            try {
                if (socket.getInputStream().read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException stillOpen) {
                // read again until the deadline
            } catch (SocketException reset) {
                return true;
            }
        }
        return false;
    }
}
