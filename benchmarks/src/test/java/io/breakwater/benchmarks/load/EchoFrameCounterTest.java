package io.breakwater.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EchoFrameCounterTest {

    /** An unmasked server frame, as RFC 6455 §5.2 lays it out. */
    private static void frame(ByteArrayOutputStream out, int firstByte, int length) {
        out.write(firstByte);
        if (length <= 125) {
            out.write(length);
        } else if (length <= 0xFFFF) {
            out.write(126);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >>> shift));
            }
        }
        for (int i = 0; i < length; i++) {
            out.write(i);
        }
    }

    private static byte[] traffic() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame(out, 0x81, 0);          // empty text message
        frame(out, 0x81, 125);        // longest 7-bit length
        frame(out, 0xC1, 126);        // compressed, 16-bit length
        frame(out, 0x82, 65_536);     // 64-bit length
        frame(out, 0x01, 10);         // a message in three fragments...
        frame(out, 0x89, 3);          // ...with a ping between them, which is no message
        frame(out, 0x00, 10);
        frame(out, 0x80, 10);
        return out.toByteArray();
    }

    @Test
    void countsWholeMessagesFromHeadersWhateverTheSplit() {
        byte[] bytes = traffic();
        for (int split : new int[] {1, 2, 3, 7, 13, 100, 4096, bytes.length}) {
            EchoFrameCounter counter = new EchoFrameCounter();
            int completed = 0;
            for (int at = 0; at < bytes.length; at += split) {
                completed += counter.consume(ByteBuffer.wrap(bytes, at, Math.min(split, bytes.length - at)));
            }
            assertEquals(5, completed, "split " + split);
            assertEquals(5, counter.messages());
            assertEquals(0 + 125 + 126 + 65_536 + 30, counter.payloadBytes());
            assertTrue(counter.compressedSeen());
            assertFalse(counter.closeReceived());
        }
    }

    @Test
    void remembersACloseFrame() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame(out, 0x88, 2);
        EchoFrameCounter counter = new EchoFrameCounter();
        assertEquals(0, counter.consume(ByteBuffer.wrap(out.toByteArray())));
        assertTrue(counter.closeReceived());
    }
}
