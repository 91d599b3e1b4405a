package io.breakwater.benchmarks.load;

import io.breakwater.benchmarks.engine.Frames;
import io.breakwater.benchmarks.engine.RawDeflate;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/**
 * The messages a load generator sends, each built once as a whole masked client frame in direct memory
 * (so that the gathering writes of many copies cost no copying in the JDK) and then sent again and
 * again. Several distinct messages are cycled through, so that a server compressing with context
 * takeover sees related, not identical, messages.
 */
public final class ClientMessages {

    /** What a browser offers: permessage-deflate, and that the client can take a smaller window. */
    public static final String DEFLATE_OFFER = "permessage-deflate; client_max_window_bits";

    private static final long MASK_SEED = 6455L;

    private final boolean binary;
    private final boolean compressed;
    private final byte[][] payloads;
    private final ByteBuffer[] frames;

    private ClientMessages(boolean binary, boolean compressed, byte[][] payloads, ByteBuffer[] frames) {
        this.binary = binary;
        this.compressed = compressed;
        this.payloads = payloads;
        this.frames = frames;
    }

    public static ClientMessages text(byte[][] payloads) {
        return new ClientMessages(false, false, payloads, frames(Frames.FIN | Frames.TEXT, payloads));
    }

    public static ClientMessages binary(byte[][] payloads) {
        return new ClientMessages(true, false, payloads, frames(Frames.FIN | Frames.BINARY, payloads));
    }

    /**
     * Text messages compressed for permessage-deflate (RFC 7692 §7.2.1), RSV1 set. Each message is
     * compressed alone, by a fresh compressor: it refers to no earlier message, so it is valid whether or
     * not the server keeps its decompressor's window between messages, and in any order.
     */
    public static ClientMessages deflatedText(byte[][] payloads) {
        byte[][] wire = new byte[payloads.length][];
        for (int i = 0; i < payloads.length; i++) {
            Deflater deflater = RawDeflate.newDeflater(Deflater.DEFAULT_COMPRESSION);
            byte[] out = new byte[RawDeflate.bound(payloads[i].length)];
            int length = RawDeflate.compress(deflater, payloads[i], out);
            deflater.end();
            wire[i] = Arrays.copyOf(out, length);
        }
        return new ClientMessages(false, true, payloads, frames(Frames.FIN | Frames.RSV1 | Frames.TEXT, wire));
    }

    private static ByteBuffer[] frames(int firstByte, byte[][] payloads) {
        SplittableRandom masks = new SplittableRandom(MASK_SEED);
        ByteBuffer[] frames = new ByteBuffer[payloads.length];
        for (int i = 0; i < payloads.length; i++) {
            ByteArrayOutputStream frame = new ByteArrayOutputStream(payloads[i].length + 14);
            Frames.appendMasked(frame, firstByte, payloads[i], masks.nextInt());
            byte[] bytes = frame.toByteArray();
            frames[i] = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
        }
        return frames;
    }

    /** A view of frame {@code index} (modulo the count), positioned at its start. */
    ByteBuffer frame(int index) {
        return frames[Math.floorMod(index, frames.length)].duplicate();
    }

    public int count() {
        return payloads.length;
    }

    /** The message as the application sees it, before compression and masking. */
    public byte[] payload(int index) {
        return payloads[Math.floorMod(index, payloads.length)];
    }

    public boolean binary() {
        return binary;
    }

    public boolean compressed() {
        return compressed;
    }

    /** The {@code Sec-WebSocket-Extensions} offer these messages need, or null. */
    public String extensionOffer() {
        return compressed ? DEFLATE_OFFER : null;
    }

    /** The average size of a message as the application sees it. */
    public double meanPayloadBytes() {
        long total = 0;
        for (byte[] payload : payloads) {
            total += payload.length;
        }
        return (double) total / payloads.length;
    }
}
