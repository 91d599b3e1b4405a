package io.breakwater.protocol;

import static io.breakwater.protocol.RecordingListener.Message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Autobahn case group 9 (limits and performance, here: large messages delivered intact), size limits and outgoing fragmentation. */
@DisplayName("9 Limits and large messages")
class LimitsTest {

    private static final int[] SIZES = {1, 64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20};

    /** 9.1.x (text) and 9.2.x (binary): one frame per message, fed in 64 KiB and 4 KiB chunks. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void case_9_1_and_9_2_singleFrameMessages(Role role) {
        for (int size : SIZES) {
            for (boolean text : new boolean[] {true, false}) {
                byte[] payload = text ? Payloads.text(size) : Payloads.binary(size);
                for (int chunk : new int[] {64 << 10, 4 << 10}) {
                    Endpoint endpoint = Endpoint.of(role);
                    endpoint.feed(endpoint.encode(TestFrame.of(text ? TestFrame.TEXT : TestFrame.BINARY, payload)), chunk);
                    assertDelivered(endpoint, text, payload, size, chunk);
                }
            }
        }
    }

    /** 9.3.x (text) and 9.4.x (binary): fragmented into 64 KiB frames (and 1 KiB frames for the smaller sizes). */
    @ParameterizedTest
    @EnumSource(Role.class)
    void case_9_3_and_9_4_fragmentedMessages(Role role) {
        for (int size : SIZES) {
            for (boolean text : new boolean[] {true, false}) {
                byte[] payload = text ? Payloads.text(size) : Payloads.binary(size);
                for (int fragment : size <= (256 << 10) ? new int[] {1 << 10, 64 << 10} : new int[] {64 << 10}) {
                    Endpoint endpoint = Endpoint.of(role);
                    byte[] wire = endpoint.encode(fragments(text, payload, fragment));
                    for (int chunk : new int[] {64 << 10, 4 << 10}) {
                        Endpoint fresh = Endpoint.of(role);
                        fresh.feed(wire, chunk);
                        assertDelivered(fresh, text, payload, size, chunk);
                    }
                }
            }
        }
    }

    /** The limit is the frame size, not a byte more: a 16 MiB frame fits the default, 16 MiB + 1 fails from its header. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void defaultMaximumFrameSizeIsExact(Role role) {
        assertEquals(16L << 20, Connection.DEFAULT_MAX_FRAME_SIZE);
        Endpoint endpoint = Endpoint.of(role);
        endpoint.feed(TestFrame.binary(new byte[0]).declaredLength((16L << 20) + 1).headerFor(role, 0x0A0B0C0D));
        endpoint.assertFailed(Violation.FRAME_TOO_BIG);
    }

    /** 1009 is decided from the header alone: only the header bytes are fed. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void maximumFrameSizeExceededFailsFromTheHeader(Role role) {
        for (long length : new long[] {1001, 65536, 1L << 40, Long.MAX_VALUE}) {
            for (int opcode : new int[] {TestFrame.TEXT, TestFrame.BINARY}) {
                Endpoint endpoint = Endpoint.of(role);
                endpoint.connection.setMaxFrameSize(1000);
                byte[] header = TestFrame.of(opcode, new byte[0]).declaredLength(length).headerFor(role, 0x01020304);
                endpoint.feed(Arrays.copyOf(header, header.length - 1));
                assertEquals(0, endpoint.listener.closeCount(), "the header is not complete yet");
                endpoint.feed(Arrays.copyOfRange(header, header.length - 1, header.length));
                endpoint.assertFailed(Violation.FRAME_TOO_BIG);
                assertEquals(1009, endpoint.listener.closeStatus().code());
                endpoint.assertNothingDelivered();
            }
        }
        // Exactly at the limit is fine, in a continuation too.
        Endpoint endpoint = Endpoint.of(role);
        endpoint.connection.setMaxFrameSize(1000);
        byte[] payload = Payloads.binary(1000);
        endpoint.receive(TestFrame.binary(payload), TestFrame.binary(payload).fin(false), TestFrame.continuation(payload));
        assertEquals(List.of(Message.binary(payload), Message.binary(Hex.concat(payload, payload))),
                endpoint.messages());
        endpoint.receive(TestFrame.binary(new byte[0]).fin(false), TestFrame.continuation(new byte[1001]));
        endpoint.assertFailed(Violation.FRAME_TOO_BIG);
    }

    /** 1009 when the header of the fragment that crosses the message limit arrives, before its payload. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void maximumMessageSizeExceededAcrossFragments(Role role) {
        for (boolean text : new boolean[] {true, false}) {
            Endpoint endpoint = Endpoint.of(role);
            if (text) {
                endpoint.connection.setMaxTextMessageSize(10_000);
            } else {
                endpoint.connection.setMaxBinaryMessageSize(10_000);
            }
            byte[] part = text ? Payloads.text(4000) : Payloads.binary(4000);
            endpoint.receive(TestFrame.of(text ? TestFrame.TEXT : TestFrame.BINARY, part).fin(false),
                    TestFrame.continuation(part).fin(false));
            assertEquals(0, endpoint.listener.closeCount());
            endpoint.feed(TestFrame.continuation(part).headerFor(role, 0x55667788));
            endpoint.assertFailed(Violation.MESSAGE_TOO_BIG);
            assertEquals(new RecordingListener.Data(text, Blob.of(Hex.concat(part, part)), false),
                    endpoint.listener.merged().get(0), "the fragments within the limit were delivered");
        }
        // Exactly at the limit is fine; the count starts again with each message.
        Endpoint endpoint = Endpoint.of(role);
        endpoint.connection.setMaxBinaryMessageSize(10_000);
        byte[] part = Payloads.binary(5000);
        for (int i = 0; i < 3; i++) {
            endpoint.receive(TestFrame.binary(part).fin(false), TestFrame.ping(""), TestFrame.continuation(part));
        }
        assertEquals(3, endpoint.listener.dataMessages().size());
        assertTrue(endpoint.connection.isOpen());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void textAndBinaryLimitsAreSeparate(Role role) {
        byte[] fiveHundred = Payloads.text(500);
        Endpoint endpoint = Endpoint.of(role);
        endpoint.connection.setMaxTextMessageSize(100);
        endpoint.connection.setMaxBinaryMessageSize(1000);
        endpoint.receive(TestFrame.binary(fiveHundred), TestFrame.text(Arrays.copyOf(fiveHundred, 100)));
        assertEquals(2, endpoint.listener.dataMessages().size());
        endpoint.receive(TestFrame.text(Payloads.text(101)));
        endpoint.assertFailed(Violation.MESSAGE_TOO_BIG);

        endpoint = Endpoint.of(role);
        endpoint.connection.setMaxTextMessageSize(1000);
        endpoint.connection.setMaxBinaryMessageSize(100);
        endpoint.receive(TestFrame.text(fiveHundred), TestFrame.binary(new byte[100]));
        assertEquals(2, endpoint.listener.dataMessages().size());
        endpoint.receive(TestFrame.binary(new byte[101]));
        endpoint.assertFailed(Violation.MESSAGE_TOO_BIG);
        assertEquals(2, endpoint.listener.dataMessages().size(), "nothing of the message that is too big");
    }

    @Test
    void limitsMustBePositive() {
        Connection connection = Endpoint.server().connection;
        assertThrows(IllegalArgumentException.class, () -> connection.setMaxFrameSize(0));
        assertThrows(IllegalArgumentException.class, () -> connection.setMaxTextMessageSize(-1));
        assertThrows(IllegalArgumentException.class, () -> connection.setMaxBinaryMessageSize(0));
        assertThrows(IllegalArgumentException.class, () -> connection.setOutgoingFragmentSize(-1));
    }

    // ------------------------------------------------------------------------- outgoing fragmentation

    @ParameterizedTest
    @EnumSource(Role.class)
    void outgoingFragmentsHaveTheConfiguredSize(Role role) {
        for (boolean text : new boolean[] {true, false}) {
            Endpoint endpoint = Endpoint.of(role);
            endpoint.connection.setOutgoingFragmentSize(1000);
            byte[] payload = text ? Payloads.text(2500) : Payloads.binary(2500);
            send(endpoint, text, ByteBuffer.wrap(payload), true);
            List<WireFrame> frames = endpoint.written();
            int opcode = text ? TestFrame.TEXT : TestFrame.BINARY;
            assertEquals(3, frames.size());
            endpoint.assertOwnFrame(frames.get(0), opcode, false, Arrays.copyOfRange(payload, 0, 1000));
            endpoint.assertOwnFrame(frames.get(1), TestFrame.CONTINUATION, false, Arrays.copyOfRange(payload, 1000, 2000));
            endpoint.assertOwnFrame(frames.get(2), TestFrame.CONTINUATION, true, Arrays.copyOfRange(payload, 2000, 2500));
            // Headers: 16-bit lengths 03 e8 and 01 f4.
            byte[] first = endpoint.output.writes().get(0).headerBytes().bytes();
            assertEquals((byte) (text ? 0x01 : 0x02), first[0]);
            assertArrayEquals(Hex.parse("03 e8"), Arrays.copyOfRange(first, 2, 4));
            byte[] last = endpoint.output.writes().get(2).headerBytes().bytes();
            assertEquals((byte) 0x80, last[0]);
            assertArrayEquals(Hex.parse("01 f4"), Arrays.copyOfRange(last, 2, 4));

            // Exactly one fragment's worth is one frame; parts of a message continue across calls.
            endpoint.output.clear();
            send(endpoint, text, ByteBuffer.wrap(payload, 0, 1000), true);
            send(endpoint, text, ByteBuffer.wrap(payload, 0, 2001), false);
            send(endpoint, text, ByteBuffer.wrap(payload, 2001, 499), false);
            send(endpoint, text, ByteBuffer.allocate(0), true);
            frames = endpoint.written();
            assertEquals(6, frames.size(), () -> endpoint.written().toString());
            endpoint.assertOwnFrame(frames.get(0), opcode, true, Arrays.copyOf(payload, 1000));
            endpoint.assertOwnFrame(frames.get(1), opcode, false, Arrays.copyOfRange(payload, 0, 1000));
            endpoint.assertOwnFrame(frames.get(2), TestFrame.CONTINUATION, false, Arrays.copyOfRange(payload, 1000, 2000));
            endpoint.assertOwnFrame(frames.get(3), TestFrame.CONTINUATION, false, Arrays.copyOfRange(payload, 2000, 2001));
            endpoint.assertOwnFrame(frames.get(4), TestFrame.CONTINUATION, false, Arrays.copyOfRange(payload, 2001, 2500));
            endpoint.assertOwnFrame(frames.get(5), TestFrame.CONTINUATION, true, new byte[0]);
        }
    }

    /** What one endpoint writes, another reads back: the engine's output is valid input for the other role. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void outputReadsBackThroughThePeer(Role role) {
        Endpoint sender = Endpoint.of(role);
        sender.connection.setOutgoingFragmentSize(700);
        byte[] binary = Payloads.binary(70_000);
        byte[] text = Payloads.text(5000);
        sender.connection.sendBinary(ByteBuffer.wrap(binary), true);
        sender.connection.sendPing(ByteBuffer.wrap(new byte[] {1}));
        sender.connection.sendText(ByteBuffer.wrap(text), true);
        sender.connection.close(new CloseStatus(4001, "done"));
        Endpoint receiver = Endpoint.of(role == Role.SERVER ? Role.CLIENT : Role.SERVER);
        receiver.feed(sender.output.bytes(), 333);
        assertEquals(List.of(Message.binary(binary), new RecordingListener.Ping(Blob.of(new byte[] {1})),
                new Message(true, Blob.of(text)), new RecordingListener.Closed(new CloseStatus(4001, "done"))),
                receiver.messages());
    }

    /** A server's payload goes out as a view of the caller's buffer, not a copy; nobody moves or changes the caller's buffer. */
    @Test
    void serverPayloadIsAViewOfTheCallersBytes() {
        Endpoint server = Endpoint.server();
        server.connection.setOutgoingFragmentSize(100);
        byte[] array = Payloads.binary(250);
        ByteBuffer heap = ByteBuffer.wrap(array, 10, 200);
        server.connection.sendBinary(heap, true);
        assertEquals(10, heap.position());
        assertEquals(210, heap.limit());
        assertArrayEquals(Payloads.binary(250), array, "the caller's bytes are unchanged");
        List<CapturingOutput.Write> writes = server.output.writes();
        assertEquals(2, writes.size());
        for (int i = 0; i < 2; i++) {
            ByteBuffer payload = writes.get(i).payload();
            assertTrue(payload.hasArray());
            assertSame(array, payload.array(), "the payload shares the caller's array");
            assertEquals(10 + 100 * i, payload.arrayOffset() + payload.position());
            assertEquals(100, payload.remaining());
        }
        // Shared content: a change to the caller's bytes shows through the view.
        array[10] ^= (byte) 0xFF;
        assertEquals(array[10], writes.get(0).payload().get(writes.get(0).payload().position()));

        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        direct.put(Payloads.binary(64)).position(4).limit(60);
        server.output.clear();
        server.connection.sendBinary(direct, true);
        assertEquals(4, direct.position());
        assertEquals(60, direct.limit());
        ByteBuffer view = server.output.writes().get(0).payload();
        assertTrue(view.isDirect(), "a direct buffer stays direct: no copy");
        direct.put(4, (byte) 0x42);
        assertEquals(0x42, view.get(view.position()), "shared content");
    }

    /** A client masks into a copy: the caller's buffer keeps its position and its bytes. */
    @Test
    void clientNeverMasksTheCallersBytes() {
        Endpoint client = Endpoint.client();
        client.connection.setOutgoingFragmentSize(100);
        for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.wrap(Payloads.binary(250)),
                ByteBuffer.allocateDirect(250).put(Payloads.binary(250)).flip(),
                ByteBuffer.wrap(Payloads.binary(250)).asReadOnlyBuffer()}) {
            buffer.position(7);
            client.output.clear();
            client.connection.sendBinary(buffer, true);
            assertEquals(7, buffer.position());
            assertEquals(250, buffer.limit());
            byte[] after = new byte[250];
            buffer.duplicate().position(0).get(after);
            assertArrayEquals(Payloads.binary(250), after, "the caller's bytes are not masked in place");
            List<WireFrame> frames = client.written();
            assertEquals(3, frames.size());
            byte[] received = Hex.concat(frames.get(0).payload(), frames.get(1).payload(), frames.get(2).payload());
            assertArrayEquals(Arrays.copyOfRange(Payloads.binary(250), 7, 250), received);
        }
    }

    private static void send(Endpoint endpoint, boolean text, ByteBuffer data, boolean last) {
        if (text) {
            endpoint.connection.sendText(data, last);
        } else {
            endpoint.connection.sendBinary(data, last);
        }
    }

    private static TestFrame[] fragments(boolean text, byte[] payload, int fragmentSize) {
        List<TestFrame> frames = new ArrayList<>();
        int at = 0;
        do {
            int length = Math.min(fragmentSize, payload.length - at);
            boolean last = at + length == payload.length;
            int opcode = at == 0 ? (text ? TestFrame.TEXT : TestFrame.BINARY) : TestFrame.CONTINUATION;
            frames.add(TestFrame.of(opcode, Arrays.copyOfRange(payload, at, at + length)).fin(last));
            at += length;
        } while (at < payload.length);
        return frames.toArray(new TestFrame[0]);
    }

    private static void assertDelivered(Endpoint endpoint, boolean text, byte[] payload, int size, int chunk) {
        List<Message> messages = endpoint.listener.dataMessages();
        assertEquals(1, messages.size(), () -> "size " + size + ", chunk " + chunk + ": " + endpoint.listener.closeStatus());
        assertEquals(text, messages.get(0).text());
        assertEquals(Blob.of(payload), messages.get(0).data(), () -> "size " + size + ", chunk " + chunk);
        endpoint.assertNothingWritten();
        assertFalse(endpoint.listener.closeCount() > 0);
    }
}
