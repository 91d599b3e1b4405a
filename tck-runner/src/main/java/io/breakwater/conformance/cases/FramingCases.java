package io.breakwater.conformance.cases;

import static io.breakwater.conformance.wire.Opcode.BINARY;
import static io.breakwater.conformance.wire.Opcode.TEXT;

import io.breakwater.conformance.run.Event;
import io.breakwater.conformance.wire.Frame;
import java.util.ArrayList;
import java.util.List;

/** Group 1: every payload length class of RFC 6455 §5.2 (7-bit, 16-bit, 64-bit), text and binary. */
final class FramingCases {
    /** The boundaries of the three length encodings. */
    private static final int[] LENGTHS = {0, 125, 126, 127, 128, 65535, 65536};

    private FramingCases() {
    }

    static List<ConformanceCase> cases() {
        List<ConformanceCase> cases = new ArrayList<>();
        addKind(cases, "1.1", TEXT, "text", '*');
        addKind(cases, "1.2", BINARY, "binary", 0xfe);
        return cases;
    }

    private static void addKind(List<ConformanceCase> cases, String prefix, int opcode, String kind, int fill) {
        int number = 1;
        for (int length : LENGTHS) {
            byte[] payload = Payloads.repeat(fill, length);
            cases.add(CaseBuilder.of(prefix + "." + number++, "Send " + kind + " message with payload of length " + length)
                    .expect("Receive echo'ed " + kind + " message (with payload as sent). Clean close with normal code.")
                    .script(c -> c.send(Frame.of(opcode, payload)))
                    .events(echo(opcode, payload))
                    .build());
        }
        byte[] payload = Payloads.repeat(fill, 65536);
        cases.add(CaseBuilder.of(prefix + "." + number,
                        "Send " + kind + " message with payload of length 65536, written in chops of 997 octets")
                .expect("Receive echo'ed " + kind + " message (with payload as sent). Clean close with normal code.")
                .script(c -> c.send(Frame.of(opcode, payload), 997))
                .events(echo(opcode, payload))
                .build());
    }

    static Event echo(int opcode, byte[] payload) {
        return opcode == TEXT ? Event.text(payload) : Event.binary(payload);
    }
}
