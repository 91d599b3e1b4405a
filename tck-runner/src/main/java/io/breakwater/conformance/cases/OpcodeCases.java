package io.breakwater.conformance.cases;

import static io.breakwater.conformance.wire.Opcode.PING;
import static io.breakwater.conformance.wire.Opcode.TEXT;

import io.breakwater.conformance.run.Event;
import io.breakwater.conformance.wire.Frame;
import java.util.ArrayList;
import java.util.List;

/** Group 4: reserved opcodes fail the connection (RFC 6455 §5.2): 4.1 non-control 3-7, 4.2 control 0xB-0xF. */
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
        cases.add(afterValid(prefix + ".3", firstOpcode + 2, new byte[0], 0));
        cases.add(afterValid(prefix + ".4", firstOpcode + 3, payload, 0));
        cases.add(afterValid(prefix + ".5", firstOpcode + 4, payload, 1));
    }

    private static ConformanceCase alone(String id, int opcode, byte[] payload) {
        return CaseBuilder.of(id, "Send frame with reserved opcode " + opcode
                        + (payload.length > 0 ? " and non-empty payload" : ""))
                .expect(FAIL + ".")
                .script(c -> c.send(Frame.of(opcode, payload)))
                .closing(Closing.fails(1002))
                .build();
    }

    private static ConformanceCase afterValid(String id, int opcode, byte[] payload, int chop) {
        byte[] hello = Payloads.utf8("Hello, world!");
        return CaseBuilder.of(id, "Send small text message, then frame with reserved opcode " + opcode
                        + (payload.length > 0 ? " and non-empty payload" : "") + ", then ping"
                        + (chop > 0 ? ", all written in octet-wise chops" : ""))
                .expect("Echo for the first message; then " + FAIL + "; no pong.")
                .script(c -> {
                    c.send(Frame.of(TEXT, hello), chop);
                    c.awaitEvents(1);
                    c.send(Frame.of(opcode, payload), chop);
                    c.send(Frame.of(PING, new byte[0]), chop);
                })
                .events(Event.text(hello))
                .closing(Closing.fails(1002))
                .build();
    }
}
