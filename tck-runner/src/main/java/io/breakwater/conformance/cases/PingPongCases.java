package io.breakwater.conformance.cases;

import static io.breakwater.conformance.wire.Opcode.PING;
import static io.breakwater.conformance.wire.Opcode.PONG;

import io.breakwater.conformance.run.Event;
import io.breakwater.conformance.wire.Frame;
import java.util.ArrayList;
import java.util.List;

/** Group 2: pings are answered with the same payload (RFC 6455 §5.5.2), pongs need no answer (§5.5.3). */
final class PingPongCases {
    private PingPongCases() {
    }

    static List<ConformanceCase> cases() {
        List<ConformanceCase> cases = new ArrayList<>();
        cases.add(ping("2.1", "Send ping without payload", new byte[0], 0));
        cases.add(ping("2.2", "Send ping with small text payload", Payloads.utf8("Hello, world!"), 0));
        cases.add(ping("2.3", "Send ping with small binary (non UTF-8) payload",
                Payloads.bytes(0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff), 0));
        cases.add(ping("2.4", "Send ping with binary payload of 125 octets", Payloads.repeat(0xfe, 125), 0));
        byte[] tooLong = Payloads.repeat(0xfe, 126);
        cases.add(CaseBuilder.of("2.5", "Send ping with binary payload of 126 octets")
                .expect("Connection is failed immediately (1002/Protocol Error), since control frames are only allowed "
                        + "to have payload up to and including 125 octets (RFC 6455 §5.5)")
                .script(c -> c.send(Frame.of(PING, tooLong)))
                .closing(Closing.fails(1002))
                .build());
        cases.add(ping("2.6", "Send ping with binary payload of 125 octets, written in octet-wise chops",
                Payloads.repeat(0xfe, 125), 1));
        cases.add(CaseBuilder.of("2.7", "Send unsolicited pong without payload")
                .expect("Nothing in reply. Clean close with normal code.")
                .script(c -> c.send(Frame.of(PONG, new byte[0])))
                .build());
        cases.add(CaseBuilder.of("2.8", "Send unsolicited pong with payload")
                .expect("Nothing in reply. Clean close with normal code.")
                .script(c -> c.send(Frame.of(PONG, Payloads.utf8("unsolicited pong payload"))))
                .build());
        byte[] pingPayload = Payloads.utf8("ping payload");
        cases.add(CaseBuilder.of("2.9", "Send unsolicited pong with payload, then ping with payload")
                .expect("Pong for the ping (only). Clean close with normal code.")
                .script(c -> {
                    c.send(Frame.of(PONG, Payloads.utf8("unsolicited pong payload")));
                    c.send(Frame.of(PING, pingPayload));
                })
                .events(Event.pong(pingPayload))
                .build());
        cases.add(tenPings("2.10", 0));
        cases.add(tenPings("2.11", 1));
        return cases;
    }

    private static ConformanceCase ping(String id, String description, byte[] payload, int chop) {
        return CaseBuilder.of(id, description)
                .expect("Pong with payload as sent. Clean close with normal code.")
                .script(c -> c.send(Frame.of(PING, payload), chop))
                .events(Event.pong(payload))
                .build();
    }

    /** §5.5.3 lets a peer answer only the latest of pings it has not yet answered: NON-STRICT. */
    private static ConformanceCase tenPings(String id, int chop) {
        List<Event> pongs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pongs.add(Event.pong(Payloads.utf8("payload-" + i)));
        }
        return CaseBuilder.of(id, "Send 10 pings with payload" + (chop > 0 ? ", written in octet-wise chops" : ""))
                .expect("Pongs for the pings, in order (a pong for the last ping only is NON-STRICT, RFC 6455 §5.5.3). "
                        + "Clean close with normal code.")
                .script(c -> {
                    for (int i = 0; i < 10; i++) {
                        c.send(Frame.of(PING, Payloads.utf8("payload-" + i)), chop);
                    }
                })
                .expected(Expected.ok(pongs).or(Outcome.NON_STRICT, pongs.get(9)))
                .build();
    }
}
