package io.breakwater.benchmarks.load;

import io.breakwater.benchmarks.engine.RawDeflate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Checks, before any load, that a server echoes the scenario's first message intact: one connection,
 * one message, the whole echo read back (every frame of it), decompressed when RSV1 says so, and compared
 * with what was sent. The load generator only counts frames; this is where the bytes are looked at.
 */
public final class EchoProbe {

    private static final int TIMEOUT_MILLIS = 10_000;

    private EchoProbe() {
    }

    /**
     * What the probe found.
     *
     * @param extensions the server's {@code Sec-WebSocket-Extensions} answer, empty when none
     * @param deflateNegotiated whether the answer agreed to permessage-deflate
     * @param echoCompressed whether the echo came back with RSV1 set
     */
    public record Result(String extensions, boolean deflateNegotiated, boolean echoCompressed) {
    }

    /** Throws when the handshake fails or the echo differs from the message. */
    public static Result run(InetSocketAddress server, String path, ClientMessages messages) throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            new SourceAddresses().bindNext(channel);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(server, TIMEOUT_MILLIS);
            channel.socket().setSoTimeout(TIMEOUT_MILLIS);
            Handshake.Response response = Handshake.perform(channel, path, messages.extensionOffer());
            boolean deflate = response.negotiated("permessage-deflate");
            if (messages.compressed() && !deflate) {
                // Compressed frames would be a protocol error; report instead of sending them.
                return new Result(response.extensions(), false, false);
            }
            ByteBuffer frame = messages.frame(0);
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
            EchoReader reader = new EchoReader(channel, response.leftover());
            byte[] echo = reader.readMessage();
            if (reader.compressed) {
                echo = inflate(echo);
            }
            byte[] expected = messages.payload(0);
            if (!Arrays.equals(echo, expected)) {
                throw new IOException("the echo differs from the message: " + echo.length + " bytes back for "
                        + expected.length + " sent");
            }
            return new Result(response.extensions(), deflate, reader.compressed);
        }
    }

    /** A server's first message is compressed with an empty window, so a fresh inflater reads it. */
    private static byte[] inflate(byte[] payload) throws IOException {
        Inflater inflater = RawDeflate.newInflater();
        try {
            byte[] out = new byte[Math.max(1024, payload.length * 64)];
            int length = RawDeflate.decompress(inflater, payload, payload.length, out);
            return Arrays.copyOf(out, length);
        } catch (DataFormatException e) {
            throw new IOException("the compressed echo does not inflate: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    /** Reads the frames of one data message from a blocking channel, skipping control frames. */
    private static final class EchoReader {
        private final SocketChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        boolean compressed;

        EchoReader(SocketChannel channel, ByteBuffer leftover) {
            this.channel = channel;
            buffer.put(leftover.duplicate()).flip();
        }

        byte[] readMessage() throws IOException {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            boolean first = true;
            while (true) {
                int b0 = next();
                int b1 = next();
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = (next() << 8) | next();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | next();
                    }
                }
                int opcode = b0 & 0x0F;
                if ((b1 & 0x80) != 0) {
                    throw new IOException("the server masked a frame (RFC 6455 §5.1)");
                }
                boolean control = opcode >= 0x8;
                if (opcode == 0x8) {
                    throw new IOException("the server closed the connection instead of echoing");
                }
                if (!control && first) {
                    compressed = (b0 & 0x40) != 0;
                    first = false;
                }
                for (long i = 0; i < length; i++) {
                    int b = next();
                    if (!control) {
                        message.write(b);
                    }
                }
                if (!control && (b0 & 0x80) != 0) {
                    return message.toByteArray();
                }
            }
        }

        private int next() throws IOException {
            while (!buffer.hasRemaining()) {
                // The socket's stream rather than the channel: it honours the read timeout.
                int read = channel.socket().getInputStream().read(buffer.array(), 0, buffer.capacity());
                if (read < 0) {
                    throw new IOException("the server closed the connection before echoing");
                }
                buffer.position(0).limit(read);
            }
            return buffer.get() & 0xFF;
        }
    }
}
