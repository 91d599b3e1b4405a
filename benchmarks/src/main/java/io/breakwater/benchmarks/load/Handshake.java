package io.breakwater.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The client's opening handshake (RFC 6455 §4.1) on a blocking channel: one request, and the response
 * head read up to its blank line, checked for 101 and the right {@code Sec-WebSocket-Accept}. Bytes the
 * server sent after the head are handed back with it.
 */
final class Handshake {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** One key for every connection: the server cannot tell, and the expected accept is computed once. */
    private static final String KEY = "YnJlYWt3YXRlci1iZW5jaA==";
    private static final String ACCEPT = accept(KEY);
    private static final int MAX_HEAD = 8192;

    private Handshake() {
    }

    /** What the server answered; {@code leftover} holds any bytes after the head, ready to read. */
    record Response(Map<String, String> headers, ByteBuffer leftover) {

        /** The {@code Sec-WebSocket-Extensions} header, or the empty string. */
        String extensions() {
            return headers.getOrDefault("sec-websocket-extensions", "");
        }

        boolean negotiated(String extension) {
            for (String agreed : extensions().split(",")) {
                String name = agreed.split(";")[0].trim();
                if (name.equalsIgnoreCase(extension)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Upgrades {@code channel}, connected and blocking, on {@code path}; {@code extensions} is the
     * {@code Sec-WebSocket-Extensions} offer, or null for none. A server that never answers (one whose
     * connection limit leaves the connection in its accept queue) fails the read after the socket's
     * {@code SO_TIMEOUT}.
     */
    static Response perform(SocketChannel channel, String path, String extensions) throws IOException {
        InetSocketAddress server = (InetSocketAddress) channel.getRemoteAddress();
        StringBuilder request = new StringBuilder(256)
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(server.getHostString()).append(':').append(server.getPort()).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(KEY).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        if (extensions != null) {
            request.append("Sec-WebSocket-Extensions: ").append(extensions).append("\r\n");
        }
        request.append("\r\n");
        ByteBuffer out = ByteBuffer.wrap(request.toString().getBytes(StandardCharsets.US_ASCII));
        while (out.hasRemaining()) {
            channel.write(out);
        }

        ByteBuffer in = ByteBuffer.allocate(MAX_HEAD);
        int headEnd;
        while ((headEnd = headEnd(in)) < 0) {
            if (!in.hasRemaining()) {
                throw new IOException("the handshake response head is longer than " + MAX_HEAD + " bytes");
            }
            // Through the socket's stream, which honours the caller's read timeout (a channel does not).
            int read = channel.socket().getInputStream().read(in.array(), in.position(), in.remaining());
            if (read < 0) {
                throw new IOException("the server closed the connection during the handshake");
            }
            in.position(in.position() + read);
        }
        String head = new String(in.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
        Response response = new Response(parse(head), ByteBuffer.wrap(in.array(), headEnd + 4, in.position() - headEnd - 4));
        String status = head.substring(0, Math.max(0, head.indexOf("\r\n")));
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("the server answered \"" + status + "\" instead of 101");
        }
        if (!ACCEPT.equals(response.headers().get("sec-websocket-accept"))) {
            throw new IOException("wrong Sec-WebSocket-Accept: " + response.headers().get("sec-websocket-accept"));
        }
        return response;
    }

    /** Where the blank line ending the head starts, or -1 while it has not arrived. */
    private static int headEnd(ByteBuffer in) {
        byte[] bytes = in.array();
        for (int i = 3; i < in.position(); i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i - 3;
            }
        }
        return -1;
    }

    /** Header names in lower case; repeated headers joined with commas (RFC 9110 §5.3). */
    private static Map<String, String> parse(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                headers.merge(name, value, (first, second) -> first + ", " + second);
            }
        }
        return headers;
    }

    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }
}
