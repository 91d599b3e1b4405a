package io.breakwater.distribution;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A WebSocket client on a plain socket that opens and uses a connection the way a browser's
 * {@code new WebSocket(url)} does: the handshake carries what Chromium sends (an {@code Origin}, an offer of
 * permessage-deflate, no {@code Content-Length}: a GET has no body), and the first frame may leave the moment
 * the 101 has arrived. Jetty 12.1's {@code HttpServletRequest.upgrade} loses exactly such connections, which
 * no library client (they send {@code Content-Length: 0}) shows. Frames it sends are masked and uncompressed
 * (RFC 7692 §6 lets a client send any message uncompressed); frames it receives may be compressed.
 */
final class BrowserLikeSocket implements AutoCloseable {

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TEXT = 0x1;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String responseHead;
    private final Inflater inflater;
    private final boolean resetInflater;

    private BrowserLikeSocket(Socket socket, InputStream in, String responseHead) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.responseHead = responseHead;
        String extensions = header(responseHead, "Sec-WebSocket-Extensions");
        boolean deflate = extensions != null && extensions.toLowerCase(Locale.ROOT).contains("permessage-deflate");
        this.inflater = deflate ? new Inflater(true) : null;
        this.resetInflater = deflate && extensions.toLowerCase(Locale.ROOT).contains("server_no_context_takeover");
    }

    /**
     * Opens a connection to {@code url} and, if {@code firstText} is not null, sends it the moment the 101 has
     * been read, before anything else arrives: a page that sends from {@code onopen}.
     */
    static BrowserLikeSocket open(URI url, String firstText) throws IOException {
        Socket socket = connect(url);
        String key = newKey();
        socket.getOutputStream().write(handshake(url, key));
        BrowserLikeSocket connection = accepted(socket, key);
        if (firstText != null) {
            connection.send(firstText);
        }
        return connection;
    }

    /**
     * Opens a connection to {@code url} with {@code firstText} in the same write as the handshake, before the
     * 101 is read: the server has the frame's bytes in its buffer when it upgrades.
     */
    static BrowserLikeSocket openWithFrameInTheHandshakeWrite(URI url, String firstText) throws IOException {
        Socket socket = connect(url);
        String key = newKey();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(handshake(url, key));
        bytes.writeBytes(maskedFrame(TEXT, firstText.getBytes(StandardCharsets.UTF_8)));
        socket.getOutputStream().write(bytes.toByteArray());
        return accepted(socket, key);
    }

    /** The 101 response's head, as read. */
    String responseHead() {
        return responseHead;
    }

    /** Sends one text message in one masked frame. */
    void send(String text) throws IOException {
        out.write(maskedFrame(TEXT, text.getBytes(StandardCharsets.UTF_8)));
        out.flush();
    }

    /**
     * The next text message, inflated if it came compressed; pings and pongs are skipped.
     *
     * @throws EOFException if the server closed the connection or sent a Close frame first
     */
    String receive() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        boolean compressed = false;
        boolean first = true;
        while (true) {
            int b0 = readByte();
            int opcode = b0 & 0x0F;
            if (opcode >= CLOSE && (b0 & 0x80) == 0) {
                // RFC 6455 §5.5: control frames are never fragmented. "H" (0x48) reads as one: Jetty's
                // HttpServletRequest.upgrade answers a browser's first frame with "HTTP/1.1 400".
                throw new IOException("not a WebSocket frame; the server sent: " + (char) b0 + preview());
            }
            byte[] payload = readPayload();
            if (opcode == PING || opcode == PONG) {
                continue;
            }
            if (opcode == CLOSE) {
                throw new EOFException("the server closed the connection: " + closeDescription(payload));
            }
            if (first) {
                compressed = (b0 & 0x40) != 0;
                first = false;
            }
            message.writeBytes(payload);
            if ((b0 & 0x80) != 0) {
                byte[] bytes = compressed ? inflate(message.toByteArray()) : message.toByteArray();
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
    }

    /** Closes with 1000 as {@code WebSocket.close()} does and returns the code of the server's Close frame. */
    int closeNormally() throws IOException {
        out.write(maskedFrame(CLOSE, new byte[] {0x03, (byte) 0xE8}));
        out.flush();
        while (true) {
            int opcode = readByte() & 0x0F;
            byte[] payload = readPayload();
            if (opcode == CLOSE) {
                return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * Sends {@code request} (a whole request head) on a new connection to {@code url}'s server and returns the
     * response: its head and its body (of a {@code Content-Length} or chunked).
     */
    static String exchange(URI url, String request) throws IOException {
        try (Socket socket = connect(url)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            String length = header(head, "Content-Length");
            String encoding = header(head, "Transfer-Encoding");
            byte[] body;
            if (length != null) {
                body = in.readNBytes(Integer.parseInt(length.trim()));
            } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = readChunked(in);
            } else {
                body = new byte[0];
            }
            return head + "\r\n\r\n" + new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The handshake of Chromium's {@code new WebSocket(url)} on a page of the same origin. */
    static String handshakeHead(URI url, String key, String version) {
        String authority = url.getHost() + ":" + url.getPort();
        String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        return "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + authority + "\r\n"
                + "Connection: Upgrade\r\n"
                + "Pragma: no-cache\r\n"
                + "Cache-Control: no-cache\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/131.0.0.0 Safari/537.36\r\n"
                + "Upgrade: websocket\r\n"
                + "Origin: http://" + authority + "\r\n"
                + "Sec-WebSocket-Version: " + version + "\r\n"
                + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
                + "Accept-Language: en-US,en;q=0.9\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                + "\r\n";
    }

    static String newKey() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    private static byte[] handshake(URI url, String key) {
        return handshakeHead(url, key, "13").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Socket connect(URI url) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 10_000);
        // Bounds each read: a server that loses the connection shows as a timeout, not as a test that hangs.
        socket.setSoTimeout(20_000);
        return socket;
    }

    /** Reads the response; fails unless it is a 101 with the accept value RFC 6455 §4.2.2 prescribes. */
    private static BrowserLikeSocket accepted(Socket socket, String key) throws IOException {
        InputStream in = socket.getInputStream();
        String head;
        try {
            head = readHead(in);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new AssertionError("the handshake was refused:\n" + head);
        }
        String accept = header(head, "Sec-WebSocket-Accept");
        if (accept == null || !accept.trim().equals(acceptValue(key))) {
            socket.close();
            throw new AssertionError("wrong Sec-WebSocket-Accept in:\n" + head);
        }
        return new BrowserLikeSocket(socket, in, head);
    }

    private static String acceptValue(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-1", e);
        }
    }

    /** The value of the first field {@code name} of {@code head}, or null. */
    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Reads a response head up to the empty line, byte by byte, so that no frame after it is consumed. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection ended within the response head: "
                        + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            body.writeBytes(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("the connection ended within a chunked body");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** One client frame (RFC 6455 §5.2): FIN, the opcode, the mask bit, the length, a random mask. */
    private static byte[] maskedFrame(int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    /** The payload of the frame whose first byte was just read; server frames are not masked. */
    private byte[] readPayload() throws IOException {
        int b1 = readByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = ((long) readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("the connection ended within a frame");
        }
        return payload;
    }

    /** RFC 7692 §7.2.2: the message's bytes with 00 00 ff ff appended, through one inflater per connection. */
    private byte[] inflate(byte[] compressed) throws IOException {
        if (inflater == null) {
            throw new IOException("a compressed message, but permessage-deflate was not agreed");
        }
        byte[] input = new byte[compressed.length + 4];
        System.arraycopy(compressed, 0, input, 0, compressed.length);
        input[compressed.length + 2] = (byte) 0xFF;
        input[compressed.length + 3] = (byte) 0xFF;
        inflater.setInput(input);
        ByteArrayOutputStream inflated = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            while (!inflater.needsInput()) {
                int n = inflater.inflate(buffer);
                inflated.write(buffer, 0, n);
                if (n == 0 && inflater.needsInput()) {
                    break;
                }
            }
        } catch (DataFormatException e) {
            throw new IOException("a compressed message that does not inflate", e);
        }
        if (resetInflater) {
            inflater.reset();
        }
        return inflated.toByteArray();
    }

    private static String closeDescription(byte[] payload) {
        if (payload.length < 2) {
            return "no code";
        }
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        return code + " " + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }

    /** What the server sent next, as text, for a failure's message. */
    private String preview() throws IOException {
        byte[] bytes = new byte[Math.max(0, Math.min(200, in.available()))];
        int n = in.readNBytes(bytes, 0, bytes.length);
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended");
        }
        return b;
    }
}
