package io.breakwater.conformance.cases;

import static io.breakwater.conformance.wire.Opcode.BINARY;
import static io.breakwater.conformance.wire.Opcode.TEXT;

import io.breakwater.conformance.run.Event;
import io.breakwater.conformance.wire.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * Group 9: large messages and frames (up to 16 MiB), many fragments, small writes and many small
 * messages. The peer must echo them all intact; timing is recorded in the report, never judged.
 * A peer under test needs message limits of at least 16 MiB.
 */
final class LimitsCases {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;
    private static final int[] MESSAGE_SIZES = {64 * KIB, 256 * KIB, MIB, 4 * MIB, 16 * MIB};
    private static final int[] FRAGMENT_SIZES = {64, 256, KIB, 4 * KIB, 16 * KIB, 64 * KIB, 256 * KIB, MIB};
    private static final int[] CHOP_SIZES = {64, 128, 256, 512, KIB, 2 * KIB, 4 * KIB};
    private static final int[] SMALL_SIZES = {0, 16, 64, 256, KIB, 4 * KIB};
    private static final int SMALL_COUNT = 1000;

    private LimitsCases() {
    }

    static List<ConformanceCase> cases() {
        List<ConformanceCase> cases = new ArrayList<>();
        addKind(cases, TEXT, "text", "9.1", "9.3", "9.5", "9.7");
        addKind(cases, BINARY, "binary", "9.2", "9.4", "9.6", "9.8");
        return cases;
    }

    private static void addKind(List<ConformanceCase> cases, int opcode, String kind, String whole,
                                String fragmented, String chopped, String many) {
        int number = 1;
        for (int size : MESSAGE_SIZES) {
            byte[] payload = payload(opcode, size);
            cases.add(CaseBuilder.of(whole + "." + number++, "Send " + kind + " message of " + size(size)
                            + " in one frame")
                    .expect("Receive echo'ed " + kind + " message (with payload as sent). Clean close with normal code.")
                    .script(c -> c.send(Frame.of(opcode, payload)))
                    .events(FramingCases.echo(opcode, payload))
                    .build());
        }
        number = 1;
        byte[] mebibyte = payload(opcode, MIB);
        for (int fragment : FRAGMENT_SIZES) {
            cases.add(CaseBuilder.of(fragmented + "." + number++, "Send " + kind + " message of 1 MiB in frames of "
                            + size(fragment))
                    .expect("Receive echo'ed " + kind + " message (with payload as sent). Clean close with normal code.")
                    .script(c -> c.sendFragmented(opcode, mebibyte, fragment))
                    .events(FramingCases.echo(opcode, mebibyte))
                    .build());
        }
        number = 1;
        for (int chop : CHOP_SIZES) {
            cases.add(CaseBuilder.of(chopped + "." + number++, "Send " + kind + " message of 1 MiB in one frame, "
                            + "written in chops of " + size(chop))
                    .expect("Receive echo'ed " + kind + " message (with payload as sent). Clean close with normal code.")
                    .script(c -> c.send(Frame.of(opcode, mebibyte), chop))
                    .events(FramingCases.echo(opcode, mebibyte))
                    .build());
        }
        number = 1;
        for (int size : SMALL_SIZES) {
            byte[] payload = payload(opcode, size);
            List<Event> echoes = new ArrayList<>();
            for (int i = 0; i < SMALL_COUNT; i++) {
                echoes.add(FramingCases.echo(opcode, payload));
            }
            cases.add(CaseBuilder.of(many + "." + number++, "Send " + SMALL_COUNT + " " + kind + " messages of "
                            + size(size) + ", without waiting for echoes")
                    .expect("Receive every message echo'ed, in order. Clean close with normal code.")
                    .script(c -> {
                        for (int i = 0; i < SMALL_COUNT; i++) {
                            c.send(Frame.of(opcode, payload));
                        }
                    })
                    .events(echoes)
                    .build());
        }
    }

    private static byte[] payload(int opcode, int size) {
        return opcode == TEXT ? Payloads.repeat('*', size) : Payloads.repeat(0xfe, size);
    }

    private static String size(int bytes) {
        if (bytes >= MIB && bytes % MIB == 0) {
            return bytes / MIB + " MiB";
        }
        if (bytes >= KIB && bytes % KIB == 0) {
            return bytes / KIB + " KiB";
        }
        return bytes + " octets";
    }
}
