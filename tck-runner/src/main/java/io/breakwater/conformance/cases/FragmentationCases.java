package io.breakwater.conformance.cases;

import static io.breakwater.conformance.wire.Opcode.CONTINUATION;
import static io.breakwater.conformance.wire.Opcode.PING;
import static io.breakwater.conformance.wire.Opcode.PONG;
import static io.breakwater.conformance.wire.Opcode.TEXT;

import io.breakwater.conformance.run.Event;
import io.breakwater.conformance.wire.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * Group 5: fragmentation (RFC 6455 §5.4). Control frames may come between fragments and are
 * answered at once; control frames themselves must not be fragmented; a continuation needs a
 * message to continue, and a new message cannot start inside another.
 */
final class FragmentationCases {
    private static final String FAIL = "The connection is failed immediately (1002/Protocol Error) (RFC 6455 §5.4)";

    private FragmentationCases() {
    }

    static List<ConformanceCase> cases() {
        List<ConformanceCase> cases = new ArrayList<>();
        byte[] one = Payloads.utf8("fragment1");
        byte[] two = Payloads.utf8("fragment2");
        byte[] both = Payloads.utf8("fragment1fragment2");
        cases.add(failing("5.1", "Send ping in 2 fragments", Writes.PER_FRAME,
                List.of(frame(false, PING, one), frame(true, CONTINUATION, two))));
        cases.add(failing("5.2", "Send pong in 2 fragments", Writes.PER_FRAME,
                List.of(frame(false, PONG, one), frame(true, CONTINUATION, two))));
        List<Frame> twoFragments = List.of(frame(false, TEXT, one), frame(true, CONTINUATION, two));
        cases.add(echoing("5.3", "Send text message in 2 fragments", Writes.PER_FRAME, twoFragments,
                Event.text(both)));
        cases.add(echoing("5.4", "Send text message in 2 fragments, written in octet-wise chops",
                Writes.OCTET_WISE, twoFragments, Event.text(both)));
        cases.add(echoing("5.5", "Send text message in 2 fragments, both in one write", Writes.ONE_WRITE,
                twoFragments, Event.text(both)));
        byte[] pingPayload = Payloads.utf8("ping payload");
        List<Frame> withPing = List.of(frame(false, TEXT, one), Frame.of(PING, pingPayload),
                frame(true, CONTINUATION, two));
        cases.add(echoing("5.6", "Send text message in 2 fragments with ping between them", Writes.PER_FRAME,
                withPing, Event.pong(pingPayload), Event.text(both)));
        cases.add(echoing("5.7", "Send text message in 2 fragments with ping between them, written in octet-wise "
                + "chops", Writes.OCTET_WISE, withPing, Event.pong(pingPayload), Event.text(both)));
        cases.add(echoing("5.8", "Send text message in 2 fragments with ping between them, all in one write",
                Writes.ONE_WRITE, withPing, Event.pong(pingPayload), Event.text(both)));
        int number = 9;
        for (boolean fin : new boolean[] {true, false}) {
            List<Frame> orphan = List.of(frame(fin, CONTINUATION, two), Frame.text("Hello, world!"));
            for (Writes writes : Writes.values()) {
                cases.add(failing("5." + number++, "Send continuation frame with FIN = " + fin
                        + ", where there is nothing to continue, then unfragmented text message, "
                        + writes.description(),
                        writes, orphan));
            }
        }
        byte[] three = Payloads.utf8("fragment3");
        byte[] four = Payloads.utf8("fragment4");
        cases.add(CaseBuilder.of("5.15", "Send text message in 2 fragments, then continuation frame with FIN = false "
                        + "where there is nothing to continue, then text frame with FIN = true, all in one write")
                .expect("Echo of the first message, then " + FAIL + " (the echo missing before the failure: "
                        + "NON-STRICT).")
                .script(c -> Writes.ONE_WRITE.send(c, List.of(frame(false, TEXT, one), frame(true, CONTINUATION, two),
                        frame(false, CONTINUATION, three), frame(true, TEXT, four))))
                .expected(Expected.echoesBeforeFailing(Event.text(both)))
                .closing(Closing.fails(1002))
                .build());
        List<Frame> repeated = new ArrayList<>();
        List<Frame> repeatedFinFirst = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            repeated.addAll(List.of(frame(false, CONTINUATION, one), frame(false, TEXT, two),
                    frame(true, CONTINUATION, three)));
            repeatedFinFirst.addAll(List.of(frame(true, CONTINUATION, one), frame(false, TEXT, two),
                    frame(true, CONTINUATION, three)));
        }
        cases.add(failing("5.16", "Repeated 2 times: continuation (FIN = false), text (FIN = false), continuation "
                + "(FIN = true)", Writes.PER_FRAME, repeated));
        cases.add(failing("5.17", "Repeated 2 times: continuation (FIN = true), text (FIN = false), continuation "
                + "(FIN = true)", Writes.PER_FRAME, repeatedFinFirst));
        cases.add(failing("5.18", "Send text message in 2 fragments, both with opcode text", Writes.PER_FRAME,
                List.of(frame(false, TEXT, one), frame(true, TEXT, two))));
        List<Frame> five = new ArrayList<>();
        List<Event> fiveEvents = new ArrayList<>();
        StringBuilder whole = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            five.add(frame(i == 5, i == 1 ? TEXT : CONTINUATION, Payloads.utf8("fragment" + i)));
            whole.append("fragment").append(i);
            if (i == 2 || i == 4) {
                byte[] payload = Payloads.utf8("pongme " + i);
                five.add(Frame.of(PING, payload));
                fiveEvents.add(Event.pong(payload));
            }
        }
        fiveEvents.add(Event.text(whole.toString()));
        cases.add(echoing("5.19", "Send text message in 5 fragments with a ping after the 2nd and the 4th",
                Writes.PER_FRAME, five, fiveEvents.toArray(Event[]::new)));
        cases.add(echoing("5.20", "Send text message in 5 fragments with a ping after the 2nd and the 4th, all in "
                + "one write", Writes.ONE_WRITE, five, fiveEvents.toArray(Event[]::new)));
        return cases;
    }

    static Frame frame(boolean fin, int opcode, byte[] payload) {
        return new Frame(fin, 0, opcode, payload, null);
    }

    private static ConformanceCase echoing(String id, String description, Writes writes, List<Frame> frames,
                                           Event... events) {
        return CaseBuilder.of(id, description)
                .expect("Receive " + List.of(events) + ". Clean close with normal code.")
                .script(c -> writes.send(c, frames))
                .events(events)
                .build();
    }

    private static ConformanceCase failing(String id, String description, Writes writes, List<Frame> frames) {
        return CaseBuilder.of(id, description)
                .expect(FAIL + ". Nothing echoed.")
                .script(c -> writes.send(c, frames))
                .closing(Closing.fails(1002))
                .build();
    }
}
