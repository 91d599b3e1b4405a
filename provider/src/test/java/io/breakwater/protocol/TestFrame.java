package io.breakwater.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds frames byte by byte from their fields (RFC 6455 §5.2), independently of the engine's
 * {@code FrameWriter}, so that a test cannot pass because the builder and the engine share a bug.
 *
 * <p>Whether the frame is masked is normally decided by who receives it: a server receives masked
 * frames, a client unmasked ones ({@link #encodeFor}). {@link #masked(int)} and {@link #unmasked()}
 * override that to build frames that break the rule.
 */
final class TestFrame {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** How the payload length is written: the minimal form, or forced into 16 or 64 bits. */
    enum LengthEncoding { MINIMAL, FORCE_16, FORCE_64 }

    private final int opcode;
    private final byte[] payload;
    private boolean fin = true;
    private int rsvBits;
    private Boolean masked;
    private Integer maskKey;
    private LengthEncoding lengthEncoding = LengthEncoding.MINIMAL;
    private Long declaredLength;

    private TestFrame(int opcode, byte[] payload) {
        this.opcode = opcode;
        this.payload = payload.clone();
    }

    static TestFrame of(int opcode, byte[] payload) {
        return new TestFrame(opcode, payload);
    }

    static TestFrame text(String text) {
        return of(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    static TestFrame text(byte[] utf8) {
        return of(TEXT, utf8);
    }

    static TestFrame binary(byte[] data) {
        return of(BINARY, data);
    }

    static TestFrame continuation(byte[] data) {
        return of(CONTINUATION, data);
    }

    static TestFrame continuation(String text) {
        return continuation(text.getBytes(StandardCharsets.UTF_8));
    }

    static TestFrame ping(byte[] data) {
        return of(PING, data);
    }

    static TestFrame ping(String data) {
        return ping(data.getBytes(StandardCharsets.UTF_8));
    }

    static TestFrame pong(byte[] data) {
        return of(PONG, data);
    }

    static TestFrame closeEmpty() {
        return of(CLOSE, new byte[0]);
    }

    static TestFrame close(int code, String reason) {
        return close(code, reason.getBytes(StandardCharsets.UTF_8));
    }

    static TestFrame close(int code, byte[] reason) {
        byte[] body = new byte[2 + reason.length];
        body[0] = (byte) (code >> 8);
        body[1] = (byte) code;
        System.arraycopy(reason, 0, body, 2, reason.length);
        return of(CLOSE, body);
    }

    TestFrame fin(boolean fin) {
        this.fin = fin;
        return this;
    }

    /** The three reserved bits as Autobahn numbers them: 4 = RSV1, 2 = RSV2, 1 = RSV3. */
    TestFrame rsv(int autobahnRsv) {
        this.rsvBits = (autobahnRsv & 0x7) << 4;
        return this;
    }

    /** Sets a raw reserved bit mask such as {@link MessageExtension#RSV1}. */
    TestFrame rsvBits(int bits) {
        this.rsvBits = bits & 0x70;
        return this;
    }

    TestFrame masked(int key) {
        this.masked = true;
        this.maskKey = key;
        return this;
    }

    TestFrame unmasked() {
        this.masked = false;
        return this;
    }

    TestFrame length(LengthEncoding encoding) {
        this.lengthEncoding = encoding;
        return this;
    }

    /** Writes this value in the 64-bit length field instead of the payload's length (for invalid lengths). */
    TestFrame declaredLength64(long length) {
        this.lengthEncoding = LengthEncoding.FORCE_64;
        this.declaredLength = length;
        return this;
    }

    /** Writes this value as the length (in the encoding chosen) instead of the payload's length. */
    TestFrame declaredLength(long length) {
        this.declaredLength = length;
        return this;
    }

    int opcode() {
        return opcode;
    }

    boolean isFin() {
        return fin;
    }

    byte[] payload() {
        return payload.clone();
    }

    /** The frame as a peer of {@code receiver} sends it: masked toward a server, unmasked toward a client. */
    byte[] encodeFor(Role receiver, int defaultKey) {
        boolean mask = masked != null ? masked : receiver == Role.SERVER;
        int key = maskKey != null ? maskKey : defaultKey;
        return encode(mask, key);
    }

    /** The header alone, as {@link #encodeFor} writes it. */
    byte[] headerFor(Role receiver, int defaultKey) {
        byte[] whole = encodeFor(receiver, defaultKey);
        return Arrays.copyOf(whole, whole.length - payload.length);
    }

    private byte[] encode(boolean mask, int key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write((fin ? 0x80 : 0) | rsvBits | (opcode & 0x0F));
        long length = declaredLength != null ? declaredLength : payload.length;
        int maskBit = mask ? 0x80 : 0;
        LengthEncoding encoding = lengthEncoding;
        if (encoding == LengthEncoding.MINIMAL) {
            encoding = length <= 125 ? null : length <= 0xFFFF ? LengthEncoding.FORCE_16 : LengthEncoding.FORCE_64;
        }
        if (encoding == null) {
            out.write(maskBit | (int) length);
        } else if (encoding == LengthEncoding.FORCE_16) {
            if (length > 0xFFFF) {
                throw new IllegalArgumentException("length does not fit 16 bits: " + length);
            }
            out.write(maskBit | 126);
            out.write((int) (length >>> 8) & 0xFF);
            out.write((int) length & 0xFF);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (length >>> shift) & 0xFF);
            }
        }
        byte[] keyBytes = {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key};
        if (mask) {
            out.writeBytes(keyBytes);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(mask ? payload[i] ^ keyBytes[i % 4] : payload[i]);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "TestFrame[opcode=" + opcode + ", fin=" + fin + ", rsv=" + (rsvBits >> 4) + ", length=" + payload.length
                + (masked == null ? "" : masked ? ", masked" : ", unmasked") + "]";
    }
}
