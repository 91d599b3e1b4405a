package io.breakwater.servlet;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client as bytes on a socket, for the frames no well-behaved client would send: it masks
 * what it is told to send (RFC 6455 §5.3) and checks nothing else.
 */
final class RawWebSocket implements AutoCloseable {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** A frame as read: RSV bits and opcode of the first byte, the (unmasked) payload. */
    record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        /** The status code of a close frame (RFC 6455 §5.5.1), 1005 when it has none. */
        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** The 101 response's head, as read. */
    final String responseHead;

    private RawWebSocket(Socket socket, String responseHead) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.responseHead = responseHead;
    }

    /** Connects and completes the opening handshake for {@code target}; fails unless the answer is 101. */
    static RawWebSocket open(int port, String target, String... extraHeaders) throws IOException {
        return open(new Socket(), port, target, extraHeaders);
    }

    /** As {@link #open(int, String, String...)}, on a socket the caller configured (buffer sizes, say). */
    static RawWebSocket open(Socket unconnected, int port, String target, String... extraHeaders) throws IOException {
        unconnected.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
        unconnected.setSoTimeout(20_000);
        unconnected.getOutputStream().write(RawHttp.handshake(target, extraHeaders).getBytes(StandardCharsets.ISO_8859_1));
        String head = RawHttp.readHead(unconnected.getInputStream());
        if (!head.startsWith("HTTP/1.1 101")) {
            unconnected.close();
            throw new IOException("handshake refused: " + head);
        }
        return new RawWebSocket(unconnected, head);
    }

    Socket socket() {
        return socket;
    }

    /** Sends one masked frame. */
    void send(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
        out.write(frame(fin, rsv, opcode, payload));
        out.flush();
    }

    /** One masked frame as bytes: header, masking key, masked payload; for many frames in one write. */
    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
        byte[] header = header(fin, rsv, opcode, payload.length);
        byte[] frame = new byte[header.length + 4 + payload.length];
        System.arraycopy(header, 0, frame, 0, header.length);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        System.arraycopy(mask, 0, frame, header.length, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[header.length + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return frame;
    }

    /** Sends raw bytes as they are: a header that lies, say. */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * A client frame header with the mask bit set, without the masking key (RFC 6455 §5.2); a negative
     * {@code length} is written as the 64-bit length it is, top bit set.
     */
    static byte[] header(boolean fin, int rsv, int opcode, long length) {
        ByteBuffer header = ByteBuffer.allocate(10);
        header.put((byte) ((fin ? 0x80 : 0) | (rsv << 4) | opcode));
        if (length >= 0 && length < 126) {
            header.put((byte) (0x80 | length));
        } else if (length >= 0 && length <= 0xFFFF) {
            header.put((byte) (0x80 | 126)).putShort((short) length);
        } else {
            header.put((byte) (0x80 | 127)).putLong(length);
        }
        byte[] bytes = new byte[header.position()];
        header.flip().get(bytes);
        return bytes;
    }

    /** Reads the next frame; server frames are never masked. */
    Frame read() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("connection ended inside a frame");
        }
        return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0x0F, payload);
    }

    /** Reads frames until a close frame, which it returns; pongs and data frames before it are skipped. */
    Frame readUntilClose() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame.opcode() == CLOSE) {
                return frame;
            }
        }
    }

    /**
     * Reads, discarding everything, until the server ends the connection (end of stream or a reset) and
     * returns true; false if it is still open after {@code millis}.
     */
    boolean awaitDropped(long millis) throws IOException {
        return RawHttp.awaitEnd(socket, millis);
    }

    /** Sends a close frame with {@code code}. */
    void sendClose(int code) throws IOException {
        send(true, 0, CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection ended");
        }
        return b;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Concatenates the payloads of frames read until one with FIN set. */
    String readMessage() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            Frame frame = read();
            if (frame.opcode() == PONG || frame.opcode() == PING) {
                continue;
            }
            message.writeBytes(frame.payload());
            if (frame.fin()) {
                return utf8(message.toByteArray());
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
