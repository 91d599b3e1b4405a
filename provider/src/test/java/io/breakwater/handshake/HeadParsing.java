package io.breakwater.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** Feeds heads to the parsers in every split, for the parser tests. */
final class HeadParsing {

    private HeadParsing() {
    }

    @FunctionalInterface
    interface Parse<T> {
        Optional<T> parse(ByteBuffer input) throws HandshakeException;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Parses {@code input} in one buffer; checks that exactly {@code leftover} remains after the head. */
    static <T> T parseWhole(Parse<T> parser, byte[] input, int leftover) throws HandshakeException {
        ByteBuffer buffer = ByteBuffer.wrap(input);
        T head = parser.parse(buffer).orElseThrow(() -> new AssertionError("head not complete"));
        assertEquals(leftover, buffer.remaining(), "bytes left after the head");
        return head;
    }

    /** Parses {@code input} one byte per call; checks that the head completes exactly at {@code headLength}. */
    static <T> T parseByteByByte(Parse<T> parser, byte[] input, int headLength) throws HandshakeException {
        for (int i = 0; i < headLength - 1; i++) {
            ByteBuffer one = ByteBuffer.wrap(input, i, 1);
            assertFalse(parser.parse(one).isPresent(), "complete too early, at byte " + i);
            assertFalse(one.hasRemaining());
        }
        ByteBuffer rest = ByteBuffer.wrap(input, headLength - 1, input.length - headLength + 1);
        T head = parser.parse(rest).orElseThrow(() -> new AssertionError("head not complete"));
        assertEquals(headLength, rest.position(), "stopped right after the head");
        return head;
    }

    /** Parses {@code input} split in two at {@code split}, the second buffer holding everything after it. */
    static <T> T parseSplit(Parse<T> parser, byte[] input, int split, int headLength) throws HandshakeException {
        ByteBuffer first = ByteBuffer.wrap(Arrays.copyOfRange(input, 0, split));
        Optional<T> early = parser.parse(first);
        if (split >= headLength) {
            assertTrue(early.isPresent());
            assertEquals(split - headLength, first.remaining());
            return early.get();
        }
        assertFalse(early.isPresent());
        ByteBuffer second = ByteBuffer.wrap(Arrays.copyOfRange(input, split, input.length));
        T head = parser.parse(second).orElseThrow(() -> new AssertionError("head not complete"));
        assertEquals(input.length - headLength, second.remaining(), "bytes left after the head");
        return head;
    }
}
