package io.breakwater.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One frame decoded from bytes an endpoint wrote, by a decoder written for the tests (RFC 6455 §5.2)
 * and independent of the engine's parser.
 *
 * @param lengthBytes how many bytes the extended length took: 0 (7-bit), 2 (16-bit) or 8 (64-bit)
 * @param payload     the payload, unmasked
 * @param header      the header bytes exactly as written, mask key included
 */
record WireFrame(boolean fin, int rsv, int opcode, boolean masked, int maskKey, int lengthBytes,
                 byte[] payload, byte[] header) {

    /** Decodes a whole byte stream into frames; fails the test on a truncated or malformed stream. */
    static List<WireFrame> decodeAll(byte[] wire) {
        List<WireFrame> frames = new ArrayList<>();
        int at = 0;
        while (at < wire.length) {
            int start = at;
            require(wire.length - at >= 2, "truncated header at " + at);
            int b0 = wire[at++] & 0xFF;
            int b1 = wire[at++] & 0xFF;
            boolean masked = (b1 & 0x80) != 0;
            long length = b1 & 0x7F;
            int lengthBytes = 0;
            if (length == 126) {
                lengthBytes = 2;
            } else if (length == 127) {
                lengthBytes = 8;
            }
            require(wire.length - at >= lengthBytes + (masked ? 4 : 0), "truncated header at " + start);
            if (lengthBytes > 0) {
                length = 0;
                for (int i = 0; i < lengthBytes; i++) {
                    length = (length << 8) | (wire[at++] & 0xFF);
                }
            }
            int key = 0;
            byte[] keyBytes = new byte[4];
            if (masked) {
                for (int i = 0; i < 4; i++) {
                    keyBytes[i] = wire[at++];
                    key = (key << 8) | (keyBytes[i] & 0xFF);
                }
            }
            byte[] header = Arrays.copyOfRange(wire, start, at);
            require(length >= 0 && length <= wire.length - at, "truncated payload in frame at " + start);
            byte[] payload = Arrays.copyOfRange(wire, at, at + (int) length);
            if (masked) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= keyBytes[i % 4];
                }
            }
            at += (int) length;
            frames.add(new WireFrame((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0x0F, masked, key, lengthBytes,
                    payload, header));
        }
        return frames;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError("malformed output: " + message);
        }
    }

    boolean isClose() {
        return opcode == TestFrame.CLOSE;
    }

    /** The close code, or 1005 for a close frame without a body. */
    int closeCode() {
        if (!isClose()) {
            throw new AssertionError("not a close frame: " + this);
        }
        if (payload.length == 0) {
            return CloseStatus.NO_STATUS_RECEIVED;
        }
        if (payload.length == 1) {
            throw new AssertionError("close frame with a 1-byte body: " + this);
        }
        return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    String closeReason() {
        return payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }

    Blob payloadBlob() {
        return Blob.of(payload);
    }

    ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    @Override
    public String toString() {
        return "WireFrame[fin=" + fin + ", rsv=" + rsv + ", opcode=" + opcode + ", masked=" + masked
                + (masked ? ", key=" + Integer.toHexString(maskKey) : "") + ", header=" + Hex.of(header)
                + ", payload=" + Blob.of(payload) + "]";
    }
}
