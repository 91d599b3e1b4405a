package io.breakwater.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole-message collector: what it hands over, and what collecting costs in heap, counted as the
 * bytes the current thread allocates (deterministic for this single-threaded code, unlike timings).
 */
class MessageChunksTest {

    private static final int MIB = 1024 * 1024;

    @Test
    void aMessageInOnePieceIsCopiedOnceAndHandedOverAsThatCopy() {
        byte[] message = pattern(3 * MIB);
        ByteBuffer piece = ByteBuffer.wrap(message);
        AllocationCounter counter = AllocationCounter.onThisThread();
        MessageChunks chunks = new MessageChunks();
        counter.start();
        chunks.add(piece);
        byte[] taken = chunks.takeBytes();
        long allocated = counter.allocated();

        assertArrayEquals(message, taken);
        assertEquals(0, piece.position(), "the piece is read, not consumed");
        assertTrue(allocated < message.length + 64 * 1024,
                "one piece costs one array of its length, allocated " + allocated);
    }

    @Test
    void manyOneBytePiecesMakeTheMessage() {
        byte[] message = pattern(100_000);
        MessageChunks chunks = new MessageChunks();
        for (byte b : message) {
            chunks.add(ByteBuffer.wrap(new byte[] {b}));
        }
        assertEquals(message.length, chunks.length());
        assertArrayEquals(message, chunks.takeBytes());
    }

    @Test
    void piecesOfVaryingSizesMakeTheMessage() {
        // Sizes from nothing to beyond the largest chunk, so pieces fill chunks, cross them and outgrow them.
        Random random = new Random(7);
        byte[] message = pattern(12 * MIB);
        MessageChunks chunks = new MessageChunks();
        int at = 0;
        while (at < message.length) {
            int size = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(10);
                case 2 -> random.nextInt(70_000);
                default -> random.nextInt(3 * MessageChunks.MAX_CHUNK);
            };
            size = Math.min(size, message.length - at);
            chunks.add(viewOf(message, at, size));
            at += size;
        }
        assertArrayEquals(message, chunks.takeBytes());
    }

    @Test
    void onlyTheRemainingBytesOfAPieceAreTaken() {
        // The engine's pieces are views of its read buffer: a position and a limit inside a larger array.
        MessageChunks chunks = new MessageChunks();
        chunks.add(viewOf("xxheyy".getBytes(StandardCharsets.US_ASCII), 2, 2));
        chunks.add(viewOf("--!".getBytes(StandardCharsets.US_ASCII), 2, 1));
        assertEquals("he!", chunks.takeText());
    }

    @Test
    void anEmptyFinalPieceEndsTheMessage() {
        MessageChunks chunks = new MessageChunks();
        chunks.add(ascii("ab"));
        chunks.add(ascii("cd"));
        chunks.add(ByteBuffer.allocate(0));
        byte[] taken = chunks.takeBytes();
        assertArrayEquals("abcd".getBytes(StandardCharsets.US_ASCII), taken);

        chunks.add(ascii("whole"));
        chunks.add(ByteBuffer.allocate(0));
        assertEquals("whole", chunks.takeText(), "a message taken leaves the collector empty for the next");
    }

    @Test
    void anEmptyMessageIsAnEmptyArrayAndAnEmptyString() {
        MessageChunks chunks = new MessageChunks();
        chunks.add(ByteBuffer.allocate(0));
        assertEquals(0, chunks.takeBytes().length);
        chunks.add(ByteBuffer.allocate(0));
        assertEquals("", chunks.takeText());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 4095, 4096, 4097, 70_000})
    void theArrayHandedOverIsExactlyTheMessage(int pieceSize) {
        // Decoders read ByteBuffer.array() whole: an array with room to spare would show them zeros.
        byte[] message = pattern(300_000);
        MessageChunks chunks = new MessageChunks();
        for (int at = 0; at < message.length; at += pieceSize) {
            chunks.add(viewOf(message, at, Math.min(pieceSize, message.length - at)));
        }
        byte[] taken = chunks.takeBytes();
        assertEquals(message.length, taken.length);
        assertArrayEquals(message, taken);
    }

    @Test
    void textWithCodePointsSplitBetweenPiecesAndChunksIsDecodedWhole() {
        String text = "a€😀b".repeat(200_000); // 1.8 MB of UTF-8 in 1, 3 and 4-byte sequences
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int pieceSize : new int[] {1, 2, 7, 4096, 65_537, utf8.length}) {
            MessageChunks chunks = new MessageChunks();
            for (int at = 0; at < utf8.length; at += pieceSize) {
                chunks.add(viewOf(utf8, at, Math.min(pieceSize, utf8.length - at)));
            }
            assertEquals(utf8.length, chunks.length());
            assertEquals(text, chunks.takeText(), "in pieces of " + pieceSize);
        }
    }

    /**
     * A 32 MiB message in 64 KiB pieces (what a socket read hands on): collecting it costs little more than
     * its length, and handing it over one more copy. What was collected when the last piece arrived is
     * also what a message refused there (1009, or a deflate bomb inflated up to the limit) has cost.
     */
    @Test
    void aLargeMessageCostsItsSizeOnItsWayAndTwiceItAtDelivery() {
        assertCollectingCosts(32 * MIB, 64 * 1024);
    }

    /** Tiny pieces share chunks: a peer writing 1-byte frames costs no object per byte. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 100, 1000, 4096})
    void smallPiecesCostTheMessagesSizeOnItsWayAndTwiceItAtDelivery(int pieceSize) {
        assertCollectingCosts(8 * MIB, pieceSize);
    }

    /**
     * Text in many chunks is copied into one array and then decoded: the String is one more copy (of the
     * same size for ASCII). The chunks are let go before decoding, so no more than about twice the message
     * is held at once, but three times it is allocated. In one piece text costs the chunk and the String.
     */
    @Test
    void textCostsTheChunksTheArrayAndTheString() {
        int length = 16 * MIB;
        ByteBuffer piece = ByteBuffer.wrap(pattern(64 * 1024));
        AllocationCounter counter = AllocationCounter.onThisThread();
        MessageChunks chunks = new MessageChunks();
        counter.start();
        for (int collected = 0; collected < length; collected += piece.remaining()) {
            chunks.add(piece);
        }
        String text = chunks.takeText();
        long allocated = counter.allocated();
        assertEquals(length, text.length());
        assertTrue(allocated < 3.25 * length, "allocated " + allocated + " for " + length + " bytes of text");

        ByteBuffer whole = ByteBuffer.wrap(pattern(length));
        counter.start();
        chunks.add(whole);
        text = chunks.takeText();
        allocated = counter.allocated();
        assertEquals(length, text.length());
        assertTrue(allocated < 2.1 * length, "allocated " + allocated + " for " + length + " bytes in one piece");
    }

    private static void assertCollectingCosts(int length, int pieceSize) {
        ByteBuffer piece = ByteBuffer.wrap(pattern(pieceSize)); // one buffer, read over and over: no garbage
        AllocationCounter counter = AllocationCounter.onThisThread();
        MessageChunks chunks = new MessageChunks();
        counter.start();
        for (int collected = 0; collected < length; collected += pieceSize) {
            piece.limit(Math.min(pieceSize, length - collected));
            chunks.add(piece);
        }
        long collecting = counter.allocated();
        byte[] message = chunks.takeBytes();
        long delivering = counter.allocated();

        assertEquals(length, message.length);
        for (int i = 0; i < length; i++) {
            if (message[i] != (byte) ('a' + i % pieceSize % 26)) {
                fail("byte " + i + " is " + message[i]);
            }
        }
        String what = length + " bytes in pieces of " + pieceSize + ": allocated ";
        assertTrue(collecting < 1.25 * length, what + collecting + " collecting them");
        assertTrue(delivering < 2.25 * length, what + delivering + " with the message handed over");
    }

    private static ByteBuffer viewOf(byte[] array, int offset, int length) {
        return ByteBuffer.wrap(array, offset, length);
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** ASCII letters, so that the same bytes also make text. */
    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    /** Bytes allocated by the current thread since {@link #start()}, as HotSpot counts them. */
    private static final class AllocationCounter {
        private final com.sun.management.ThreadMXBean threads;
        private long startedAt;

        private AllocationCounter(com.sun.management.ThreadMXBean threads) {
            this.threads = threads;
        }

        /** Skips the test where the JVM cannot count a thread's allocations. */
        static AllocationCounter onThisThread() {
            assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                    "no com.sun.management.ThreadMXBean");
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            assumeTrue(threads.isThreadAllocatedMemorySupported(), "the JVM does not count allocated bytes");
            if (!threads.isThreadAllocatedMemoryEnabled()) {
                threads.setThreadAllocatedMemoryEnabled(true);
            }
            return new AllocationCounter(threads);
        }

        void start() {
            startedAt = threads.getCurrentThreadAllocatedBytes();
        }

        long allocated() {
            return threads.getCurrentThreadAllocatedBytes() - startedAt;
        }
    }
}
