package io.breakwater.conformance.cases;

import static io.breakwater.conformance.wire.Opcode.BINARY;
import static io.breakwater.conformance.wire.Opcode.CLOSE;
import static io.breakwater.conformance.wire.Opcode.PING;
import static io.breakwater.conformance.wire.Opcode.TEXT;

import io.breakwater.conformance.run.Event;
import io.breakwater.conformance.wire.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * Group 3: RSV bits without an extension that defines them fail the connection (RFC 6455 §5.2).
 * Where a valid message comes first (3.2-3.4), the fuzzer sends it, the bad frame and a ping one after
 * another without waiting, as Autobahn does: the peer should echo the valid message before it fails
 * the connection (OK); failing it without the echo is NON-STRICT.
 */
final class ReservedBitsCases {
    private static final String FAIL = "The connection is failed (1002/Protocol Error) on the frame with RSV bits "
            + "set, since no extension was negotiated (RFC 6455 §5.2)";

    private ReservedBitsCases() {
    }

    static List<ConformanceCase> cases() {
        List<ConformanceCase> cases = new ArrayList<>();
        byte[] hello = Payloads.utf8("Hello, world!");
        cases.add(CaseBuilder.of("3.1", "Send small text message with RSV = 1")
                .expect(FAIL + ". Nothing echoed.")
                .script(c -> c.send(Frame.of(TEXT, hello).withRsv(4)))
                .closing(Closing.fails(1002))
                .build());
        cases.add(afterValid("3.2", "Send small text message, then small text message with RSV = 2, then ping",
                Frame.of(TEXT, hello).withRsv(2), Writes.ONE_WRITE));
        cases.add(afterValid("3.3", "Send small text message, then small text message with RSV = 3, then ping",
                Frame.of(TEXT, hello).withRsv(3), Writes.PER_FRAME));
        cases.add(afterValid("3.4", "Send small text message, then small text message with RSV = 4 (RSV1), then ping",
                Frame.of(TEXT, hello).withRsv(4), Writes.OCTET_WISE));
        cases.add(CaseBuilder.of("3.5", "Send small binary message with RSV = 5")
                .expect(FAIL + ". Nothing echoed.")
                .script(c -> c.send(Frame.of(BINARY, Payloads.bytes(0x00, 0xff, 0xfe, 0xfd)).withRsv(5)))
                .closing(Closing.fails(1002))
                .build());
        cases.add(CaseBuilder.of("3.6", "Send ping with RSV = 6")
                .expect(FAIL + ". No pong.")
                .script(c -> c.send(Frame.of(PING, hello).withRsv(6)))
                .closing(Closing.fails(1002))
                .build());
        cases.add(CaseBuilder.of("3.7", "Send close with RSV = 7")
                .expect(FAIL + ".")
                .script(c -> c.send(Frame.of(CLOSE, Payloads.bytes(0x03, 0xe8)).withRsv(7)))
                .closing(Closing.fails(1002))
                .build());
        return cases;
    }

    private static ConformanceCase afterValid(String id, String description, Frame bad, Writes writes) {
        byte[] hello = Payloads.utf8("Hello, world!");
        return CaseBuilder.of(id, description + ", " + writes.description())
                .expect("Echo for the first message, then " + FAIL + "; no pong. Failing without the echo first is "
                        + "NON-STRICT.")
                .script(c -> writes.send(c, List.of(Frame.of(TEXT, hello), bad, Frame.of(PING, new byte[0]))))
                .expected(Expected.echoesBeforeFailing(Event.text(hello)))
                .closing(Closing.fails(1002))
                .build();
    }
}
