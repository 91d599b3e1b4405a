package io.breakwater.benchmarks.load;

import java.nio.ByteBuffer;

/**
 * Counts the whole messages in what a server sends, from frame headers alone (RFC 6455 §5.2): payloads
 * are skipped, never copied, decompressed or validated. Bytes may arrive split anywhere. A message ends
 * with a data or continuation frame that has FIN set; control frames are not messages, and a close
 * frame is remembered.
 */
final class EchoFrameCounter {

    private static final int MAX_HEADER = 14;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int FIRST_CONTROL_OPCODE = 0x8;

    private final byte[] header = new byte[MAX_HEADER];
    private int headerFill;
    private long payloadLeft;
    private boolean frameEndsMessage;
    private boolean frameIsData;
    private long messages;
    private long payloadBytes;
    private boolean compressedSeen;
    private boolean closeReceived;

    /** Consumes every remaining byte of {@code in}; returns how many messages they completed. */
    int consume(ByteBuffer in) {
        int completed = 0;
        while (in.hasRemaining()) {
            if (payloadLeft > 0) {
                int skip = (int) Math.min(payloadLeft, in.remaining());
                in.position(in.position() + skip);
                payloadLeft -= skip;
                if (payloadLeft == 0) {
                    completed += endFrame();
                }
                continue;
            }
            header[headerFill++] = in.get();
            if (headerFill < headerLength()) {
                continue;
            }
            startFrame();
            if (payloadLeft == 0) {
                completed += endFrame();
            }
        }
        return completed;
    }

    /** 2 until the second byte is known, then the full header length it announces. */
    private int headerLength() {
        if (headerFill < 2) {
            return 2;
        }
        int length7 = header[1] & 0x7F;
        int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        int mask = (header[1] & 0x80) != 0 ? 4 : 0;
        return 2 + extended + mask;
    }

    private void startFrame() {
        int opcode = header[0] & 0x0F;
        frameEndsMessage = (header[0] & 0x80) != 0;
        frameIsData = opcode < FIRST_CONTROL_OPCODE;
        if ((header[0] & 0x40) != 0) {
            compressedSeen = true;
        }
        if (opcode == OPCODE_CLOSE) {
            closeReceived = true;
        }
        int length7 = header[1] & 0x7F;
        long length = length7;
        if (length7 == 126) {
            length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        } else if (length7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xFF);
            }
        }
        payloadLeft = length;
        if (frameIsData) {
            payloadBytes += length;
        }
        headerFill = 0;
    }

    private int endFrame() {
        if (frameIsData && frameEndsMessage) {
            messages++;
            return 1;
        }
        return 0;
    }

    long messages() {
        return messages;
    }

    /** Payload bytes of data frames, as on the wire (compressed when RSV1 is set). */
    long payloadBytes() {
        return payloadBytes;
    }

    /** Whether any frame had RSV1 set: the server compressed a message. */
    boolean compressedSeen() {
        return compressedSeen;
    }

    boolean closeReceived() {
        return closeReceived;
    }
}
