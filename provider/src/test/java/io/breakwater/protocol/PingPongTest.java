package io.breakwater.protocol;

import static io.breakwater.protocol.RecordingListener.Message;
import static io.breakwater.protocol.RecordingListener.Ping;
import static io.breakwater.protocol.RecordingListener.Pong;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Autobahn case group 2: pings and pongs (RFC 6455 §5.5.2, §5.5.3). */
@DisplayName("2 Pings and pongs")
class PingPongTest {

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_2_1_pingEmpty(Role role) {
        assertPingAnswered(role, new byte[0], Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_2_2_pingSmallText(Role role) {
        assertPingAnswered(role, "Hello, world!".getBytes(), Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_2_3_pingSmallBinary(Role role) {
        assertPingAnswered(role, Hex.parse("00 ff fe fd fc fb 00 ff"), Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_2_4_ping125(Role role) {
        assertPingAnswered(role, Payloads.binary(125), Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_2_5_ping126Fails(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.ping(Payloads.binary(126)));
        endpoint.assertFailed(Violation.CONTROL_FRAME_TOO_LONG);
        assertEquals(1, endpoint.written().size(), "the close only, no pong");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_2_6_ping125ChoppedIntoOctets(Role role) {
        assertPingAnswered(role, Payloads.binary(125), 1);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_2_7_unsolicitedPongEmpty(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.pong(new byte[0]));
        assertEquals(List.of(new Pong(Blob.EMPTY)), endpoint.listener.events());
        endpoint.assertNothingWritten();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_2_8_unsolicitedPongWithPayload(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.pong("unsolicited pong payload".getBytes()));
        assertEquals(List.of(new Pong(Blob.utf8("unsolicited pong payload"))), endpoint.listener.events());
        endpoint.assertNothingWritten();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_2_9_unsolicitedPongThenPing(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.pong("unsolicited pong payload".getBytes()), TestFrame.ping("ping payload"));
        List<WireFrame> frames = endpoint.written();
        assertEquals(1, frames.size(), () -> "only the ping is answered: " + frames);
        endpoint.assertOwnFrame(frames.get(0), TestFrame.PONG, true, "ping payload".getBytes());
        assertEquals(List.of(new Pong(Blob.utf8("unsolicited pong payload")), new Ping(Blob.utf8("ping payload"))),
                endpoint.listener.events());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_2_10_tenPingsInARow(Role role) {
        assertTenPings(role, Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_2_11_tenPingsChoppedIntoOctets(Role role) {
        assertTenPings(role, 1);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void pingBetweenMessagesIsAnsweredInStreamOrder(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.text("one"), TestFrame.ping("p"), TestFrame.binary(new byte[] {2}));
        assertEquals(List.of(Message.text("one"), new Ping(Blob.utf8("p")), Message.binary(new byte[] {2})),
                endpoint.messages());
        assertEquals(1, endpoint.written().size());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void fragmentedPingFails(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.ping("frag").fin(false), TestFrame.continuation("ment"));
        endpoint.assertFailed(Violation.FRAGMENTED_CONTROL_FRAME);
        assertEquals(1, endpoint.written().size(), "no pong");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void sendPingAndPongUpTo125Bytes(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        byte[] payload = Payloads.binary(125);
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        endpoint.connection.sendPing(buffer);
        endpoint.connection.sendPong(buffer);
        endpoint.connection.sendPing(ByteBuffer.allocate(0));
        assertEquals(0, buffer.position(), "the caller's buffer is left alone");
        assertArrayEquals(Payloads.binary(125), payload, "the caller's bytes are left alone");
        List<WireFrame> frames = endpoint.written();
        assertEquals(3, frames.size());
        endpoint.assertOwnFrame(frames.get(0), TestFrame.PING, true, payload);
        endpoint.assertOwnFrame(frames.get(1), TestFrame.PONG, true, payload);
        endpoint.assertOwnFrame(frames.get(2), TestFrame.PING, true, new byte[0]);
        byte[] header = endpoint.output.writes().get(0).headerBytes().bytes();
        assertEquals((byte) 0x89, header[0]);
        assertEquals((byte) (role == Role.CLIENT ? 0x80 | 125 : 125), header[1]);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void sendPingOrPongLongerThan125Throws(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        assertThrows(IllegalArgumentException.class, () -> endpoint.connection.sendPing(ByteBuffer.allocate(126)));
        assertThrows(IllegalArgumentException.class, () -> endpoint.connection.sendPong(ByteBuffer.allocate(126)));
        assertThrows(IllegalArgumentException.class, () -> endpoint.connection.sendPing(ByteBuffer.allocate(70000)));
        endpoint.assertNothingWritten();
        assertTrue(endpoint.connection.isOpen());
    }

    /** The pong is written before the listener hears of the ping, and its payload is the ping's. */
    private static void assertPingAnswered(Role role, byte[] payload, int chunkSize) {
        Endpoint endpoint = Endpoint.of(role);
        List<Integer> writtenAtPing = new ArrayList<>();
        endpoint.listener.onEvent(event -> {
            if (event instanceof Ping) {
                writtenAtPing.add(endpoint.output.writes().size());
            }
        });
        endpoint.receiveChunked(chunkSize, TestFrame.ping(payload));
        assertEquals(List.of(1), writtenAtPing, "the pong was written before onPing");
        List<WireFrame> frames = endpoint.written();
        assertEquals(1, frames.size());
        endpoint.assertOwnFrame(frames.get(0), TestFrame.PONG, true, payload);
        byte[] expectedHeader = role == Role.SERVER
                ? new byte[] {(byte) 0x8a, (byte) payload.length}
                : Hex.concat(new byte[] {(byte) 0x8a, (byte) (0x80 | payload.length)}, Hex.parse("37 fa 21 3d"));
        assertEquals(Blob.of(expectedHeader), endpoint.output.writes().get(0).headerBytes());
        assertEquals(List.of(new Ping(Blob.of(payload))), endpoint.listener.events());
        assertTrue(endpoint.connection.isOpen());
    }

    private static void assertTenPings(Role role, int chunkSize) {
        Endpoint endpoint = Endpoint.of(role);
        TestFrame[] pings = new TestFrame[10];
        for (int i = 0; i < 10; i++) {
            pings[i] = TestFrame.ping("payload-" + i);
        }
        endpoint.receiveChunked(chunkSize, pings);
        List<WireFrame> frames = endpoint.written();
        assertEquals(10, frames.size());
        for (int i = 0; i < 10; i++) {
            endpoint.assertOwnFrame(frames.get(i), TestFrame.PONG, true, ("payload-" + i).getBytes());
        }
    }
}
