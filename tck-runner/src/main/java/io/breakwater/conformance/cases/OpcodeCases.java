package io.breakwater.conformance.cases;

import static io.breakwater.conformance.wire.Opcode.PING;
import static io.breakwater.conformance.wire.Opcode.TEXT;

import io.breakwater.conformance.run.Event;
import io.breakwater.conformance.wire.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * Group 4: reserved opcodes fail the connection (RFC 6455 §5.2): 4.1 non-control 3-7, 4.2 control
 * 0xB-0xF. In x.3-x.5 a valid message, the bad frame and a ping go out one after another without
 * waiting, as Autobahn sends them: the peer should echo the valid message before it fails the
 * connection (OK); failing it without the echo is NON-STRICT.
 */
final class OpcodeCases {
    private static final String FAIL = "The connection is failed (1002/Protocol Error) on the reserved opcode "
            + "(RFC 6455 §5.2)";

    private OpcodeCases() {
    }

    static List<ConformanceCase> cases() {
        List<ConformanceCase> cases = new ArrayList<>();
        addGroup(cases, "4.1", 3);
        addGroup(cases, "4.2", 11);
        return cases;
    }

    private static void addGroup(List<ConformanceCase> cases, String prefix, int firstOpcode) {
        byte[] hello = Payloads.utf8("Hello, world!");
        byte[] payload = Payloads.utf8("reserved opcode payload");
        cases.add(alone(prefix + ".1", firstOpcode, new byte[0]));
        cases.add(alone(prefix + ".2", firstOpcode + 1, payload));
        cases.add(afterValid(prefix + ".3", firstOpcode + 2, new byte[0], Writes.ONE_WRITE));
        cases.add(afterValid(prefix + ".4", firstOpcode + 3, payload, Writes.ONE_WRITE));
        cases.add(afterValid(prefix + ".5", firstOpcode + 4, payload, Writes.OCTET_WISE));
    }

    private static ConformanceCase alone(String id, int opcode, byte[] payload) {
        return CaseBuilder.of(id, "Send frame with reserved opcode " + opcode
                        + (payload.length > 0 ? " and non-empty payload" : ""))
                .expect(FAIL + ".")
                .script(c -> c.send(Frame.of(opcode, payload)))
                .closing(Closing.fails(1002))
                .build();
    }

    private static ConformanceCase afterValid(String id, int opcode, byte[] payload, Writes writes) {
        byte[] hello = Payloads.utf8("Hello, world!");
        return CaseBuilder.of(id, "Send small text message, then frame with reserved opcode " + opcode
                        + (payload.length > 0 ? " and non-empty payload" : "") + ", then ping, " + writes.description())
                .expect("Echo for the first message, then " + FAIL + "; no pong. Failing without the echo first is "
                        + "NON-STRICT.")
                .script(c -> writes.send(c, List.of(Frame.of(TEXT, hello), Frame.of(opcode, payload),
                        Frame.of(PING, new byte[0]))))
                .expected(Expected.echoesBeforeFailing(Event.text(hello)))
                .closing(Closing.fails(1002))
                .build();
    }
}
