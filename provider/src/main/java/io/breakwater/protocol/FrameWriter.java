package io.breakwater.protocol;

import java.nio.ByteBuffer;

/**
 * Writes frames (RFC 6455 §5.2) to {@link FrameOutput}s: a small header buffer and the payload,
 * gathered rather than concatenated. A server's payload goes out as a view of the caller's bytes;
 * a client's is masked into a copy, since the caller's bytes are not ours to change.
 */
final class FrameWriter {

    /** Null for a server, which never masks. */
    private final MaskKeySource maskKeys;

    FrameWriter(MaskKeySource maskKeys) {
        this.maskKeys = maskKeys;
    }

    /** Writes one frame whose payload is {@code payload[position, limit)}; the buffer is not modified. */
    void write(int opcode, boolean fin, int rsv, ByteBuffer payload, FrameOutput output) {
        int length = payload.remaining();
        boolean masked = maskKeys != null;
        ByteBuffer header = ByteBuffer.allocate(headerLength(length, masked));
        header.put((byte) ((fin ? 0x80 : 0) | rsv | opcode));
        int maskBit = masked ? 0x80 : 0;
        // RFC 6455 §5.2: the minimal number of bytes encodes the length.
        if (length <= 125) {
            header.put((byte) (maskBit | length));
        } else if (length <= 0xFFFF) {
            header.put((byte) (maskBit | 126)).putShort((short) length);
        } else {
            header.put((byte) (maskBit | 127)).putLong(length);
        }
        ByteBuffer body;
        if (masked) {
            int key = maskKeys.nextKey();
            header.putInt(key);
            body = ByteBuffer.allocate(length).put(payload.duplicate()).flip();
            Masking.mask(body, 0, length, key, 0);
        } else {
            body = payload.slice();
        }
        output.write(header.flip(), body);
    }

    static int headerLength(int payloadLength, boolean masked) {
        int length = payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? length + 4 : length;
    }
}
