package io.breakwater.conformance.cases;

import static io.breakwater.conformance.cases.FragmentationCases.frame;
import static io.breakwater.conformance.wire.Opcode.CLOSE;
import static io.breakwater.conformance.wire.Opcode.CONTINUATION;
import static io.breakwater.conformance.wire.Opcode.PING;
import static io.breakwater.conformance.wire.Opcode.TEXT;

import io.breakwater.conformance.run.Event;
import io.breakwater.conformance.wire.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * Group 7: the closing handshake (RFC 6455 §5.5.1, §7): nothing is processed after a Close, the
 * Close body is empty or a code of two octets plus a UTF-8 reason of at most 123 octets, and only
 * the codes of §7.4 may be sent.
 */
final class CloseCases {
    /** §7.4.1, §7.4.2 and the IANA registry (1012-1014), plus the ends of the application ranges. */
    private static final int[] VALID_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
        3000, 3999, 4000, 4999};
    /** Below 1000, reserved (1004-1006, 1015), unassigned (1016-2999). */
    private static final int[] INVALID_CODES = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999};

    private CloseCases() {
    }

    static List<ConformanceCase> cases() {
        List<ConformanceCase> cases = new ArrayList<>();
        addAfterClose(cases);
        addPayloads(cases);
        int number = 1;
        for (int code : VALID_CODES) {
            cases.add(CaseBuilder.of("7.7." + number++, "Send close with valid close code " + code)
                    .expect("Clean close with normal code (1000) or the code echoed (" + code + ")")
                    .script(c -> c.sendClose(code, new byte[0]))
                    .closing(Closing.echoOrNormal(code))
                    .build());
        }
        number = 1;
        for (int code : INVALID_CODES) {
            cases.add(invalidCode("7.9." + number++, code));
        }
        cases.add(invalidCode("7.13.1", 5000));
        cases.add(invalidCode("7.13.2", 65535));
        return cases;
    }

    /** 7.1: what follows our Close is ignored; the peer answers the Close. */
    private static void addAfterClose(List<ConformanceCase> cases) {
        byte[] hello = Payloads.utf8("Hello World!");
        cases.add(CaseBuilder.of("7.1.1", "Send a message, receive its echo, then close with 1000")
                .expect("Receive echo'ed message. Clean close with normal code.")
                .script(c -> {
                    c.send(Frame.text("Hello World!"));
                    c.awaitEvents(1);
                    c.sendClose(1000, new byte[0]);
                })
                .events(Event.text(hello))
                .closing(Closing.echoOrNormal(1000))
                .build());
        cases.add(closeThen("7.1.2", "Send two close frames", Frame.of(CLOSE, Payloads.bytes(0x03, 0xe8))));
        cases.add(closeThen("7.1.3", "Send a ping after close message", Frame.of(PING, Payloads.utf8("after close"))));
        cases.add(closeThen("7.1.4", "Send text message after close message", Frame.text("after close")));
        cases.add(CaseBuilder.of("7.1.5", "Send message fragment 1, then close, then message fragment 2")
                .expect("Nothing echoed: the message never completed before the close. Clean close with normal code.")
                .script(c -> {
                    c.send(frame(false, TEXT, Payloads.utf8("fragment1")));
                    c.sendClose(1000, new byte[0]);
                    c.send(frame(true, CONTINUATION, Payloads.utf8("fragment2")));
                })
                .closing(Closing.echoOrNormal(1000))
                .build());
        byte[] large = Payloads.repeat('*', 256 * 1024);
        cases.add(CaseBuilder.of("7.1.6", "Send a 256 KiB text message, then close at once, then a ping")
                .expect("The echo may or may not come before the peer's close (INFORMATIONAL either way); no pong. "
                        + "Clean close with normal code.")
                .script(c -> {
                    c.send(Frame.of(TEXT, large));
                    c.sendClose(1000, new byte[0]);
                    c.send(Frame.of(PING, Payloads.utf8("after close")));
                })
                .expected(Expected.ok(Event.text(large)).or(Outcome.INFORMATIONAL))
                .closing(Closing.echoOrNormal(1000))
                .build());
    }

    private static ConformanceCase closeThen(String id, String description, Frame after) {
        return CaseBuilder.of(id, description)
                .expect("The peer ignores what follows its peer's Close (RFC 6455 §5.5.1). Clean close with normal code.")
                .script(c -> {
                    c.sendClose(1000, new byte[0]);
                    c.send(after);
                })
                .closing(Closing.echoOrNormal(1000))
                .build();
    }

    /** 7.3 Close bodies by length, 7.5 a reason that is not UTF-8. */
    private static void addPayloads(List<ConformanceCase> cases) {
        cases.add(CaseBuilder.of("7.3.1", "Send close with payload length 0 (no close code, no reason)")
                .expect("Clean close with normal code (1000) or an empty close")
                .script(c -> c.sendClose(null, new byte[0]))
                .closing(Closing.echoOrNormal(null))
                .build());
        cases.add(CaseBuilder.of("7.3.2", "Send close with payload length 1")
                .expect("The connection is failed (1002/Protocol Error): a close body is empty or at least 2 octets "
                        + "(RFC 6455 §5.5.1)")
                .script(c -> c.send(Frame.of(CLOSE, Payloads.bytes(0x03))))
                .closing(Closing.fails(1002))
                .build());
        cases.add(closeWithReason("7.3.3", "Send close with close code 1000 and no reason", new byte[0]));
        cases.add(closeWithReason("7.3.4", "Send close with close code 1000 and a short reason",
                Payloads.utf8("Hello World!")));
        cases.add(closeWithReason("7.3.5", "Send close with close code 1000 and a reason of 123 octets (the most a "
                + "control frame allows)", Payloads.repeat('*', 123)));
        cases.add(CaseBuilder.of("7.3.6", "Send close with close code 1000 and a reason of 124 octets (payload 126)")
                .expect("The connection is failed (1002/Protocol Error): control frames carry at most 125 octets "
                        + "(RFC 6455 §5.5)")
                .script(c -> c.sendClose(1000, Payloads.repeat('*', 124)))
                .closing(Closing.fails(1002))
                .build());
        byte[] invalid = Payloads.concat(Payloads.utf8("κόσμε"), Payloads.bytes(0xed, 0xa0, 0x80),
                Payloads.utf8("edited"));
        cases.add(CaseBuilder.of("7.5.1", "Send close with close code 1000 and a reason that is not UTF-8")
                .expect("The connection is failed (1007/Invalid frame payload data) (RFC 6455 §5.5.1, §8.1)")
                .script(c -> c.sendClose(1000, invalid))
                .closing(Closing.fails(1007))
                .build());
    }

    private static ConformanceCase closeWithReason(String id, String description, byte[] reason) {
        return CaseBuilder.of(id, description)
                .expect("Clean close with normal code (1000)")
                .script(c -> c.sendClose(1000, reason))
                .closing(Closing.echoOrNormal(1000))
                .build();
    }

    private static ConformanceCase invalidCode(String id, int code) {
        return CaseBuilder.of(id, "Send close with invalid close code " + code)
                .expect("Clean close with protocol error code (1002) or drop TCP (RFC 6455 §7.4)")
                .script(c -> c.sendClose(code, new byte[0]))
                .closing(Closing.fails(1002))
                .build();
    }
}
