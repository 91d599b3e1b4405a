package io.breakwater.protocol;

import static io.breakwater.protocol.RecordingListener.BinaryPiece;
import static io.breakwater.protocol.RecordingListener.Data;
import static io.breakwater.protocol.RecordingListener.Message;
import static io.breakwater.protocol.RecordingListener.Ping;
import static io.breakwater.protocol.RecordingListener.Pong;
import static io.breakwater.protocol.RecordingListener.TextPiece;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Autobahn case group 5: fragmentation (RFC 6455 §5.4). */
@DisplayName("5 Fragmentation")
class FragmentationTest {

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_1_pingIn2Fragments(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.ping("fragment1").fin(false), TestFrame.continuation("fragment2"));
        endpoint.assertFailed(Violation.FRAGMENTED_CONTROL_FRAME);
        assertEquals(1, endpoint.written().size(), "no pong");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_2_pongIn2Fragments(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.pong("fragment1".getBytes()).fin(false), TestFrame.continuation("fragment2"));
        endpoint.assertFailed(Violation.FRAGMENTED_CONTROL_FRAME);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void fragmentedCloseFails(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.close(1000, "").fin(false));
        endpoint.assertFailed(Violation.FRAGMENTED_CONTROL_FRAME);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_3_textIn2Fragments(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.text("fragment1").fin(false), TestFrame.continuation("fragment2"));
        assertEquals(List.of(Message.text("fragment1fragment2")), endpoint.messages());
        assertEquals(List.of(new TextPiece(Blob.utf8("fragment1"), false), new TextPiece(Blob.utf8("fragment2"), true)),
                endpoint.listener.events(), "each frame's payload is handed on as it comes, not assembled");
        endpoint.assertNothingWritten();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_4_textIn2FragmentsFramewise(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receiveEach(TestFrame.text("fragment1").fin(false));
        assertEquals(List.of(new Data(true, Blob.utf8("fragment1"), false)), endpoint.listener.merged());
        endpoint.receiveEach(TestFrame.continuation("fragment2"));
        assertEquals(List.of(Message.text("fragment1fragment2")), endpoint.messages());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_5_textIn2FragmentsOctetwise(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receiveChunked(1, TestFrame.text("fragment1").fin(false), TestFrame.continuation("fragment2"));
        assertEquals(List.of(Message.text("fragment1fragment2")), endpoint.messages());
        assertEquals(List.of(new Data(true, Blob.utf8("fragment1fragment2"), true)), endpoint.listener.merged());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_6_textIn2FragmentsWithPingBetween(Role role) {
        textWithPingBetween(role, Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_7_textIn2FragmentsWithPingBetweenFramewise(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receiveEach(TestFrame.text("fragment1").fin(false), TestFrame.ping("pongme!"));
        // The ping is answered before the message is complete.
        assertEquals(1, endpoint.written().size());
        endpoint.assertOwnFrame(endpoint.written().get(0), TestFrame.PONG, true, "pongme!".getBytes());
        assertEquals(List.of(), endpoint.listener.dataMessages());
        endpoint.receiveEach(TestFrame.continuation("fragment2"));
        assertEquals(List.of(new Ping(Blob.utf8("pongme!")), Message.text("fragment1fragment2")), endpoint.messages());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_8_textIn2FragmentsWithPingBetweenOctetwise(Role role) {
        textWithPingBetween(role, 1);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_9_continuationFinWithNothingToContinue(Role role) {
        for (int chunk : new int[] {Integer.MAX_VALUE, 1}) {
            Endpoint endpoint = Endpoint.of(role);
            endpoint.receiveChunked(chunk, TestFrame.continuation("non-continuation payload"),
                    TestFrame.text("Hello, world!"));
            endpoint.assertFailed(Violation.CONTINUATION_WITHOUT_MESSAGE);
            endpoint.assertNothingDelivered();
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_10_continuationFinWithNothingToContinueFramewise(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receiveEach(TestFrame.continuation("non-continuation payload"), TestFrame.text("Hello, world!"));
        endpoint.assertFailed(Violation.CONTINUATION_WITHOUT_MESSAGE);
        endpoint.assertNothingDelivered();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_12_continuationWithNothingToContinue(Role role) {
        for (int chunk : new int[] {Integer.MAX_VALUE, 1}) {
            Endpoint endpoint = Endpoint.of(role);
            endpoint.receiveChunked(chunk, TestFrame.continuation("non-continuation payload").fin(false),
                    TestFrame.text("Hello, world!"));
            endpoint.assertFailed(Violation.CONTINUATION_WITHOUT_MESSAGE);
            endpoint.assertNothingDelivered();
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_15_fragmentsAfterACompleteFragmentedMessage(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.text("fragment1").fin(false), TestFrame.continuation("fragment2"),
                TestFrame.continuation("fragment3").fin(false), TestFrame.text("fragment4"));
        assertEquals(List.of(Message.text("fragment1fragment2")), endpoint.listener.dataMessages());
        endpoint.assertFailed(Violation.CONTINUATION_WITHOUT_MESSAGE);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_16_continuationWithNothingToContinueThenFragments(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.continuation("fragment1").fin(false), TestFrame.text("fragment2").fin(false),
                TestFrame.continuation("fragment3"));
        endpoint.assertFailed(Violation.CONTINUATION_WITHOUT_MESSAGE);
        endpoint.assertNothingDelivered();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_18_textInsideAFragmentedText(Role role) {
        for (int opcode : new int[] {TestFrame.TEXT, TestFrame.BINARY}) {
            for (boolean fin : new boolean[] {true, false}) {
                Endpoint endpoint = Endpoint.of(role);
                endpoint.receive(TestFrame.text("fragment1").fin(false), TestFrame.of(opcode, "fragment2".getBytes()).fin(fin));
                assertEquals(List.of(new Data(true, Blob.utf8("fragment1"), false)),
                        endpoint.listener.merged().subList(0, 1), "the first fragment was already delivered");
                endpoint.assertFailed(Violation.DATA_FRAME_INSIDE_MESSAGE);
            }
        }
    }

    /** Autobahn 5.19 and 5.20: five fragments with pings after the 2nd and the 4th, fed byte by byte. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_19_textIn5FragmentsWithPingsBetweenOctetwise(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        List<Integer> pongsAtPing = new ArrayList<>();
        endpoint.listener.onEvent(event -> {
            if (event instanceof Ping) {
                pongsAtPing.add(endpoint.written().size());
            }
        });
        endpoint.receiveChunked(1, TestFrame.text("fragment1").fin(false), TestFrame.continuation("fragment2").fin(false),
                TestFrame.ping("pongme 1!"), TestFrame.continuation("fragment3").fin(false),
                TestFrame.continuation("fragment4").fin(false), TestFrame.ping("pongme 2!"),
                TestFrame.continuation("fragment5"));
        assertEquals(List.of(1, 2), pongsAtPing, "each pong is written as its ping is read");
        assertEquals(List.of(new Ping(Blob.utf8("pongme 1!")), new Ping(Blob.utf8("pongme 2!")),
                Message.text("fragment1fragment2fragment3fragment4fragment5")), endpoint.messages());
        assertEquals(List.of(new Data(true, Blob.utf8("fragment1fragment2"), false), new Ping(Blob.utf8("pongme 1!")),
                new Data(true, Blob.utf8("fragment3fragment4"), false), new Ping(Blob.utf8("pongme 2!")),
                new Data(true, Blob.utf8("fragment5"), true)), endpoint.listener.merged());
        List<WireFrame> frames = endpoint.written();
        assertEquals(2, frames.size());
        endpoint.assertOwnFrame(frames.get(0), TestFrame.PONG, true, "pongme 1!".getBytes());
        endpoint.assertOwnFrame(frames.get(1), TestFrame.PONG, true, "pongme 2!".getBytes());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_5_20_textIn5FragmentsWithPingsBetweenFramewise(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receiveEach(TestFrame.text("fragment1").fin(false), TestFrame.continuation("fragment2").fin(false),
                TestFrame.ping("pongme 1!"));
        assertEquals(1, endpoint.written().size(), "the first pong is out before fragment 3 arrives");
        endpoint.receiveEach(TestFrame.continuation("fragment3").fin(false),
                TestFrame.continuation("fragment4").fin(false), TestFrame.ping("pongme 2!"));
        assertEquals(2, endpoint.written().size(), "the second pong is out before fragment 5 arrives");
        assertEquals(List.of(), endpoint.listener.dataMessages());
        endpoint.receiveEach(TestFrame.continuation("fragment5"));
        assertEquals(List.of(Message.text("fragment1fragment2fragment3fragment4fragment5")),
                endpoint.listener.dataMessages());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void binaryIn2Fragments(Role role) {
        byte[] first = Payloads.binary(300);
        byte[] second = Payloads.binary(70000);
        for (int chunk : Endpoint.CHUNK_SIZES) {
            Endpoint endpoint = Endpoint.of(role);
            endpoint.receiveChunked(chunk, TestFrame.binary(first).fin(false), TestFrame.continuation(second));
            assertEquals(List.of(Message.binary(Hex.concat(first, second))), endpoint.messages());
            endpoint.assertNothingWritten();
        }
    }

    /** Text and binary in many fragments of every length class, some empty, with control frames between. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void manyFragments(Role role) {
        int[] lengths = {1, 0, 125, 126, 0, 3, 65535, 65536, 0, 7, 1, 1, 200, 0};
        for (boolean text : new boolean[] {true, false}) {
            byte[] whole = text ? Payloads.text(131_700) : Payloads.binary(131_700);
            List<TestFrame> frames = new ArrayList<>();
            List<RecordingListener.Item> expected = new ArrayList<>();
            int at = 0;
            for (int i = 0; i < lengths.length; i++) {
                boolean last = i == lengths.length - 1;
                // The last fragment takes the rest of the message.
                byte[] part = Arrays.copyOfRange(whole, at, last ? whole.length : at + lengths[i]);
                at += part.length;
                frames.add(TestFrame.of(i == 0 ? (text ? TestFrame.TEXT : TestFrame.BINARY) : TestFrame.CONTINUATION, part)
                        .fin(last));
                if (!last && i % 3 == 1) {
                    frames.add(TestFrame.ping(new byte[] {(byte) i}));
                    expected.add(new Ping(Blob.of(new byte[] {(byte) i})));
                }
                if (!last && i % 5 == 2) {
                    frames.add(TestFrame.pong(new byte[] {(byte) i, 0}));
                    expected.add(new Pong(Blob.of(new byte[] {(byte) i, 0})));
                }
            }
            expected.add(new Message(text, Blob.of(whole)));
            for (int chunk : Endpoint.CHUNK_SIZES) {
                Endpoint endpoint = Endpoint.of(role);
                endpoint.receiveChunked(chunk, frames.toArray(new TestFrame[0]));
                assertEquals(expected, endpoint.messages(), "chunk size " + chunk);
                FramingTest.assertPiecesWellFormed(endpoint.listener.events());
                assertEquals(4, endpoint.written().size(), "one pong per ping");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void thousandOneByteFragments(Role role) {
        byte[] whole = Payloads.text(1000);
        TestFrame[] frames = new TestFrame[1000];
        for (int i = 0; i < 1000; i++) {
            frames[i] = TestFrame.of(i == 0 ? TestFrame.TEXT : TestFrame.CONTINUATION, new byte[] {whole[i]}).fin(i == 999);
        }
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(frames);
        assertEquals(List.of(new Message(true, Blob.of(whole))), endpoint.messages());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void emptyFragments(Role role) {
        for (int opcode : new int[] {TestFrame.TEXT, TestFrame.BINARY}) {
            boolean text = opcode == TestFrame.TEXT;
            Endpoint endpoint = Endpoint.of(role);
            endpoint.receive(TestFrame.of(opcode, new byte[0]).fin(false), TestFrame.continuation(new byte[0]).fin(false),
                    TestFrame.continuation(new byte[0]));
            assertEquals(List.of(new Message(text, Blob.EMPTY)), endpoint.messages());
            // Empty frames add no pieces; the message still ends with one (empty) last piece.
            assertEquals(List.of(text ? new TextPiece(Blob.EMPTY, true) : new BinaryPiece(Blob.EMPTY, true)),
                    endpoint.listener.events());

            endpoint = Endpoint.of(role);
            endpoint.receive(TestFrame.of(opcode, new byte[0]).fin(false), TestFrame.continuation("ab"),
                    TestFrame.of(opcode, "cd".getBytes()).fin(false), TestFrame.continuation(new byte[0]));
            assertEquals(List.of(new Message(text, Blob.utf8("ab")), new Message(text, Blob.utf8("cd"))),
                    endpoint.messages());
            assertEquals(text
                            ? List.of(new TextPiece(Blob.utf8("ab"), true), new TextPiece(Blob.utf8("cd"), false),
                                    new TextPiece(Blob.EMPTY, true))
                            : List.of(new BinaryPiece(Blob.utf8("ab"), true), new BinaryPiece(Blob.utf8("cd"), false),
                                    new BinaryPiece(Blob.EMPTY, true)),
                    endpoint.listener.events());
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void pongBetweenFragmentsIsReportedNotAnswered(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.binary(new byte[] {1}).fin(false), TestFrame.pong("beat".getBytes()),
                TestFrame.continuation(new byte[] {2}));
        assertEquals(List.of(new Pong(Blob.utf8("beat")), Message.binary(new byte[] {1, 2})), endpoint.messages());
        endpoint.assertNothingWritten();
    }

    /** While we send a fragmented message, control frames may go between its fragments; another data message may not. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void outboundFragmentsWithControlFramesBetween(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        Connection connection = endpoint.connection;
        connection.sendText(ByteBuffer.wrap("frag".getBytes()), false);
        connection.sendPing(ByteBuffer.wrap(new byte[] {1}));
        assertThrows(IllegalStateException.class,
                () -> connection.sendBinary(ByteBuffer.wrap(new byte[] {2}), true));
        connection.sendText(ByteBuffer.wrap("ment".getBytes()), true);
        connection.sendBinary(ByteBuffer.wrap(new byte[] {3}), true);
        List<WireFrame> frames = endpoint.written();
        assertEquals(4, frames.size(), () -> frames.toString());
        endpoint.assertOwnFrame(frames.get(0), TestFrame.TEXT, false, "frag".getBytes());
        endpoint.assertOwnFrame(frames.get(1), TestFrame.PING, true, new byte[] {1});
        endpoint.assertOwnFrame(frames.get(2), TestFrame.CONTINUATION, true, "ment".getBytes());
        endpoint.assertOwnFrame(frames.get(3), TestFrame.BINARY, true, new byte[] {3});
    }

    private static void textWithPingBetween(Role role, int chunkSize) {
        Endpoint endpoint = Endpoint.of(role);
        byte[] first = endpoint.encode(TestFrame.text("fragment1").fin(false), TestFrame.ping("pongme!"));
        endpoint.feed(first, chunkSize);
        assertEquals(1, endpoint.written().size(), "the pong is written while only the first fragment is in");
        endpoint.assertOwnFrame(endpoint.written().get(0), TestFrame.PONG, true, "pongme!".getBytes());
        assertTrue(endpoint.listener.dataMessages().isEmpty());
        endpoint.feed(endpoint.encode(TestFrame.continuation("fragment2")), chunkSize);
        assertEquals(List.of(new Ping(Blob.utf8("pongme!")), Message.text("fragment1fragment2")), endpoint.messages());
        assertEquals(1, endpoint.written().size());
    }
}
