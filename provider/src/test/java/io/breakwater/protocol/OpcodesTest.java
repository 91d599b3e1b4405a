package io.breakwater.protocol;

import static io.breakwater.protocol.RecordingListener.Message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Autobahn case group 4: reserved opcodes (RFC 6455 §5.2), 3-7 for data and 11-15 for control frames. */
@DisplayName("4 Opcodes")
class OpcodesTest {

    private static final int[] RESERVED = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15};

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_4_1_1_opcode3(Role role) {
        alone(role, 3, new byte[0]);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_4_1_2_opcode4WithPayload(Role role) {
        alone(role, 4, "reserved opcode payload".getBytes());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_4_1_3_textThenOpcode5ThenPing(Role role) {
        afterText(role, 5, new byte[0], Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_4_1_4_textThenOpcode6WithPayloadThenPing(Role role) {
        afterText(role, 6, "reserved opcode payload".getBytes(), Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_4_1_5_textThenOpcode7WithPayloadThenPing(Role role) {
        afterText(role, 7, "reserved opcode payload".getBytes(), 1);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_4_2_1_opcode11(Role role) {
        alone(role, 11, new byte[0]);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_4_2_2_opcode12WithPayload(Role role) {
        alone(role, 12, "reserved opcode payload".getBytes());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_4_2_3_textThenOpcode13ThenPing(Role role) {
        afterText(role, 13, new byte[0], Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_4_2_4_textThenOpcode14WithPayloadThenPing(Role role) {
        afterText(role, 14, "reserved opcode payload".getBytes(), Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_4_2_5_textThenOpcode15WithPayloadThenPing(Role role) {
        afterText(role, 15, "reserved opcode payload".getBytes(), 1);
    }

    /** Every reserved opcode, with FIN set or not, alone, after a message, and inside a fragmented one. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void everyReservedOpcodeFailsFromItsFirstTwoBytes(Role role) {
        for (int opcode : RESERVED) {
            for (boolean fin : new boolean[] {true, false}) {
                Endpoint endpoint = Endpoint.of(role);
                byte[] frame = endpoint.encode(TestFrame.of(opcode, new byte[200]).fin(fin));
                endpoint.feed(new byte[] {frame[0], frame[1]});
                endpoint.assertFailed(Violation.RESERVED_OPCODE);
                endpoint.assertNothingDelivered();

                for (int chunk : new int[] {1, Integer.MAX_VALUE}) {
                    endpoint = Endpoint.of(role);
                    endpoint.receiveChunked(chunk, TestFrame.binary(new byte[] {1}), TestFrame.text("frag").fin(false),
                            TestFrame.of(opcode, new byte[] {7}).fin(fin), TestFrame.continuation("ment"));
                    assertEquals(List.of(Message.binary(new byte[] {1})), endpoint.listener.dataMessages());
                    endpoint.assertFailed(Violation.RESERVED_OPCODE);
                }
            }
        }
    }

    private static void alone(Role role, int opcode, byte[] payload) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.of(opcode, payload));
        endpoint.assertFailed(Violation.RESERVED_OPCODE);
        endpoint.assertNothingDelivered();
    }

    private static void afterText(Role role, int opcode, byte[] payload, int chunkSize) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receiveChunked(chunkSize, TestFrame.text("Hello, world!"), TestFrame.of(opcode, payload),
                TestFrame.ping(""));
        assertEquals(List.of(Message.text("Hello, world!")), endpoint.listener.dataMessages());
        endpoint.assertFailed(Violation.RESERVED_OPCODE);
        assertEquals(1, endpoint.written().size(), "the ping after the bad frame is not answered");
    }
}
