package io.breakwater.protocol;

import static io.breakwater.protocol.RecordingListener.Message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Autobahn case group 3: reserved bits (RFC 6455 §5.2). Without an extension every RSV bit fails the
 * connection; with one, only its own bit is allowed, and only on the first frame of a data message
 * (RFC 7692 §6.1). Data delivered before the bad frame stays delivered; nothing after it is read.
 */
@DisplayName("3 Reserved bits")
class ReservedBitsTest {

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_3_1_smallTextWithRsv1(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.text("Hello, world!").rsv(1));
        endpoint.assertFailed(Violation.RESERVED_BITS_SET);
        endpoint.assertNothingDelivered();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_3_2_textThenTextWithRsv2ThenPing(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.text("Hello, world!"), TestFrame.text("Hello, world!").rsv(2), TestFrame.ping(""));
        assertTextThenFailure(endpoint);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_3_3_textThenTextWithRsv3ThenPingFramewise(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receiveEach(TestFrame.text("Hello, world!"), TestFrame.text("Hello, world!").rsv(3), TestFrame.ping(""));
        assertTextThenFailure(endpoint);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_3_4_textThenTextWithRsv4ThenPingOctetwise(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receiveChunked(1, TestFrame.text("Hello, world!"), TestFrame.text("Hello, world!").rsv(4),
                TestFrame.ping(""));
        assertTextThenFailure(endpoint);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_3_5_binaryWithRsv5(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.binary(new byte[] {0, (byte) 0xFF, (byte) 0xFE, (byte) 0xFD}).rsv(5));
        endpoint.assertFailed(Violation.RESERVED_BITS_SET);
        endpoint.assertNothingDelivered();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_3_6_pingWithRsv6(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.ping("Hello").rsv(6));
        endpoint.assertFailed(Violation.RESERVED_BITS_SET);
        assertEquals(1, endpoint.written().size(), "no pong");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_3_7_closeWithRsv7(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.close(1000, "").rsv(7));
        endpoint.assertFailed(Violation.RESERVED_BITS_SET);
    }

    /** Every opcode, every non-zero RSV combination, with no extension: 1002 from the first two bytes. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void everyReservedBitOnEveryFrameTypeFailsWithoutAnExtension(Role role) {
        int[] opcodes = {TestFrame.TEXT, TestFrame.BINARY, TestFrame.CONTINUATION, TestFrame.PING, TestFrame.PONG,
                TestFrame.CLOSE};
        for (int opcode : opcodes) {
            for (int rsv = 1; rsv <= 7; rsv++) {
                Endpoint endpoint = Endpoint.of(role);
                if (opcode == TestFrame.CONTINUATION) {
                    endpoint.receive(TestFrame.text("start").fin(false));
                }
                byte[] frame = endpoint.encode(TestFrame.of(opcode, new byte[] {'a', 'b'}).rsv(rsv));
                endpoint.feed(new byte[] {frame[0], frame[1]});
                endpoint.assertFailed(Violation.RESERVED_BITS_SET);
                if (opcode == TestFrame.CONTINUATION) {
                    assertEquals(List.of(new RecordingListener.TextPiece(Blob.utf8("start"), false)),
                            endpoint.listener.events().subList(0, 1));
                } else {
                    endpoint.assertNothingDelivered();
                }
            }
        }
    }

    // ------------------------------------------------------------------ with an extension that owns RSV1

    @ParameterizedTest
    @EnumSource(Role.class)
    void extensionBitOnFirstFrameGoesToTheExtension(Role role) {
        PassThroughExtension extension = new PassThroughExtension();
        Endpoint endpoint = Endpoint.of(role, extension);
        endpoint.receive(TestFrame.text("κό").rsvBits(MessageExtension.RSV1).fin(false), TestFrame.continuation("σμε"),
                TestFrame.binary(new byte[] {1, 2}).rsvBits(MessageExtension.RSV1), TestFrame.text("plain"));
        assertEquals(List.of(Message.text("κόσμε"), Message.binary(new byte[] {1, 2}), Message.text("plain")),
                endpoint.messages());
        assertEquals(List.of("κό", "σμε", "\u0001\u0002"), extension.decoded);
        endpoint.assertNothingWritten();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void otherBitsFailEvenWithAnExtension(Role role) {
        for (int bits : new int[] {MessageExtension.RSV2, MessageExtension.RSV3,
                MessageExtension.RSV1 | MessageExtension.RSV2}) {
            Endpoint endpoint = Endpoint.of(role, new PassThroughExtension());
            endpoint.receive(TestFrame.text("x").rsvBits(bits));
            endpoint.assertFailed(Violation.RESERVED_BITS_SET);
            endpoint.assertNothingDelivered();
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void extensionBitOnContinuationFails(Role role) {
        Endpoint endpoint = Endpoint.of(role, new PassThroughExtension());
        endpoint.receive(TestFrame.text("a").rsvBits(MessageExtension.RSV1).fin(false),
                TestFrame.continuation("b").rsvBits(MessageExtension.RSV1));
        endpoint.assertFailed(Violation.RESERVED_BITS_ON_CONTINUATION);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void extensionBitOnControlFrameFails(Role role) {
        for (int opcode : new int[] {TestFrame.PING, TestFrame.PONG, TestFrame.CLOSE}) {
            Endpoint endpoint = Endpoint.of(role, new PassThroughExtension());
            endpoint.receive(TestFrame.of(opcode, new byte[0]).rsvBits(MessageExtension.RSV1));
            endpoint.assertFailed(Violation.RESERVED_BITS_ON_CONTROL_FRAME);
        }
    }

    @Test
    void extensionIsReleasedOnceWhenTheConnectionEnds() {
        PassThroughExtension extension = new PassThroughExtension();
        Endpoint endpoint = Endpoint.of(Role.SERVER, extension);
        endpoint.receive(TestFrame.text("x").rsv(2));
        endpoint.connection.transportClosed();
        assertEquals(1, extension.released);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void outboundExtensionBitOnlyOnTheFirstFrame(Role role) {
        PassThroughExtension extension = new PassThroughExtension();
        extension.encode = true;
        Endpoint endpoint = Endpoint.of(role, extension);
        endpoint.connection.setOutgoingFragmentSize(2);
        endpoint.connection.sendText(ByteBuffer.wrap("abcde".getBytes()), false);
        endpoint.connection.sendText(ByteBuffer.wrap("f".getBytes()), true);
        List<WireFrame> frames = endpoint.written();
        assertEquals(4, frames.size(), () -> frames.toString());
        assertEquals(4, frames.get(0).rsv(), "RSV1 on the first frame");
        assertEquals(TestFrame.TEXT, frames.get(0).opcode());
        for (int i = 1; i < 4; i++) {
            assertEquals(0, frames.get(i).rsv(), "no RSV on continuations");
            assertEquals(TestFrame.CONTINUATION, frames.get(i).opcode());
        }
        assertFalse(frames.get(2).fin());
        assertEquals(true, frames.get(3).fin());
    }

    private static void assertTextThenFailure(Endpoint endpoint) {
        assertEquals(List.of(Message.text("Hello, world!"), new RecordingListener.Failed(Violation.RESERVED_BITS_SET),
                new RecordingListener.Closed(new CloseStatus(1002, Violation.RESERVED_BITS_SET.description()))),
                endpoint.messages(), "the text is delivered, the ping is not heard");
        endpoint.assertFailed(Violation.RESERVED_BITS_SET);
        assertEquals(1, endpoint.written().size(), "the close is written, the ping is not answered");
    }

    /** A stand-in for permessage-deflate: owns RSV1 and passes bytes through unchanged. */
    static final class PassThroughExtension implements MessageExtension {
        final List<String> decoded = new ArrayList<>();
        boolean encode;
        int released;

        @Override
        public int reservedBits() {
            return RSV1;
        }

        @Override
        public void decode(int rsv, ByteBuffer payload, boolean endOfMessage, PayloadSink sink) throws ProtocolException {
            if (payload.hasRemaining()) {
                decoded.add(Blob.copyOf(payload).utf8());
                sink.accept(payload);
            }
        }

        @Override
        public int encodingFor(ByteBuffer firstPart, boolean endOfMessage) {
            return encode ? RSV1 : 0;
        }

        @Override
        public ByteBuffer encode(ByteBuffer part, boolean endOfMessage) {
            return ByteBuffer.wrap(Blob.copyOf(part).bytes());
        }

        @Override
        public void release() {
            released++;
        }
    }
}
