package io.breakwater.conformance.cases;

import static io.breakwater.conformance.cases.FragmentationCases.frame;
import static io.breakwater.conformance.wire.Opcode.CONTINUATION;
import static io.breakwater.conformance.wire.Opcode.TEXT;

import io.breakwater.conformance.run.Event;
import io.breakwater.conformance.wire.Frame;
import io.breakwater.conformance.wire.Hex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Group 6: text messages must be valid UTF-8 (RFC 6455 §8.1, RFC 3629); an invalid one fails the
 * connection with 1007, and a peer should fail as soon as the bytes cannot be UTF-8 (fail fast),
 * not when the message is complete.
 */
final class Utf8Cases {
    private static final String FAIL = "The connection is failed (1007/Invalid frame payload data) (RFC 6455 §8.1)";
    /** How long a fail-fast case waits for the peer before sending the rest of the message. */
    private static final Duration FAIL_FAST_WAIT = Duration.ofSeconds(2);

    private Utf8Cases() {
    }

    static List<ConformanceCase> cases() {
        List<ConformanceCase> cases = new ArrayList<>();
        addFragmentsOfValid(cases);
        addInvalidSplits(cases);
        addFailFast(cases);
        for (Utf8Sequences.Sequence sequence : Utf8Sequences.all()) {
            cases.add(single(sequence));
        }
        return cases;
    }

    /** 6.1 empty fragments, 6.2 valid text split at every byte position. */
    private static void addFragmentsOfValid(List<ConformanceCase> cases) {
        cases.add(CaseBuilder.of("6.1.1", "Send text message of length 0")
                .expect("Receive echo'ed empty text message. Clean close with normal code.")
                .script(c -> c.send(Frame.of(TEXT, new byte[0])))
                .events(Event.text(""))
                .build());
        cases.add(CaseBuilder.of("6.1.2", "Send fragmented text message, 3 fragments each of length 0")
                .expect("Receive echo'ed empty text message. Clean close with normal code.")
                .script(c -> c.sendAll(List.of(frame(false, TEXT, new byte[0]), frame(false, CONTINUATION, new byte[0]),
                        frame(true, CONTINUATION, new byte[0]))))
                .events(Event.text(""))
                .build());
        cases.add(CaseBuilder.of("6.1.3", "Send fragmented text message, 3 fragments, first and last of length 0, "
                        + "middle non-empty")
                .expect("Receive echo'ed text message. Clean close with normal code.")
                .script(c -> c.sendAll(List.of(frame(false, TEXT, new byte[0]),
                        frame(false, CONTINUATION, Payloads.utf8("middle frame payload")),
                        frame(true, CONTINUATION, new byte[0]))))
                .events(Event.text("middle frame payload"))
                .build());
        String[] texts = {"Hello-µ@ßöäüàá-UTF-8!!", "κόσμε", "🌊 海 Möwe"};
        int number = 1;
        for (String text : texts) {
            byte[] bytes = Payloads.utf8(text);
            List<Event> echoes = new ArrayList<>();
            for (int split = 1; split < bytes.length; split++) {
                echoes.add(Event.text(bytes));
            }
            cases.add(CaseBuilder.of("6.2." + number++, "Send valid UTF-8 text \"" + text + "\" " + (bytes.length - 1)
                            + " times in 2 fragments, split at every byte position, characters included")
                    .expect("Receive every message echo'ed. Clean close with normal code.")
                    .script(c -> {
                        for (int split = 1; split < bytes.length; split++) {
                            c.send(frame(false, TEXT, Arrays.copyOfRange(bytes, 0, split)));
                            c.send(frame(true, CONTINUATION, Arrays.copyOfRange(bytes, split, bytes.length)));
                        }
                    })
                    .events(echoes)
                    .build());
            cases.add(CaseBuilder.of("6.2." + number++, "Send valid UTF-8 text \"" + text + "\" in fragments of one "
                            + "octet each")
                    .expect("Receive the message echo'ed. Clean close with normal code.")
                    .script(c -> c.sendFragmented(TEXT, bytes, 1))
                    .events(Event.text(bytes))
                    .build());
        }
    }

    /** 6.3: invalid text whole, octet per fragment, and split into 2 fragments at every position. */
    private static void addInvalidSplits(List<ConformanceCase> cases) {
        byte[] invalid = Payloads.concat(Payloads.utf8("κόσμε"), Payloads.bytes(0xed, 0xa0, 0x80),
                Payloads.utf8("edited"));
        String shown = Hex.of(invalid, 64);
        cases.add(failing("6.3.1", "Send invalid UTF-8 text message (a surrogate inside) unfragmented: " + shown,
                c -> c.send(Frame.of(TEXT, invalid))));
        cases.add(failing("6.3.2", "Send invalid UTF-8 text message in fragments of 1 octet: " + shown,
                c -> c.sendFragmented(TEXT, invalid, 1)));
        for (int split = 1; split < invalid.length; split++) {
            int at = split;
            cases.add(failing("6.3." + (split + 2), "Send invalid UTF-8 text message in 2 fragments split after octet "
                    + split + ": " + shown, c -> {
                        c.send(frame(false, TEXT, Arrays.copyOfRange(invalid, 0, at)));
                        c.send(frame(true, CONTINUATION, Arrays.copyOfRange(invalid, at, invalid.length)));
                    }));
        }
    }

    /**
     * 6.4: the byte that makes the text invalid arrives, then the fuzzer waits before sending the
     * rest. A peer that fails before the rest arrives is OK; one that fails later is NON-STRICT.
     */
    private static void addFailFast(List<ConformanceCase> cases) {
        byte[] part1 = Payloads.utf8("κόσμε");
        byte[] part2 = Payloads.bytes(0xf4, 0x90, 0x80, 0x80); // U+110000: beyond Unicode (RFC 3629 §3)
        byte[] part3 = Payloads.utf8("edited");
        cases.add(failFast("6.4.1", "Send text in 3 fragments: valid, then F4 90 80 80 (U+110000), wait, then "
                + "valid rest", c -> {
                    c.send(frame(false, TEXT, part1));
                    c.send(frame(false, CONTINUATION, part2));
                    return () -> c.send(frame(true, CONTINUATION, part3));
                }));
        cases.add(failFast("6.4.2", "Send text in 3 fragments: valid with F4 at the end, then 90 (making it invalid), "
                + "wait, then the rest", c -> {
                    c.send(frame(false, TEXT, Payloads.concat(part1, Payloads.bytes(0xf4))));
                    c.send(frame(false, CONTINUATION, Payloads.bytes(0x90)));
                    return () -> c.send(frame(true, CONTINUATION, Payloads.concat(Payloads.bytes(0x80, 0x80), part3)));
                }));
        byte[] whole = Payloads.concat(part1, part2, part3);
        cases.add(failFast("6.4.3", "Send text in 1 frame, written in 3 chops: up to F4, then 90 80 80, wait, "
                + "then the rest", c -> frameInChops(c, whole, part1.length, part1.length + part2.length)));
        cases.add(failFast("6.4.4", "Send text in 1 frame, written in 3 chops: up to and including F4, then 90, "
                + "wait, then the rest", c -> frameInChops(c, whole, part1.length + 1, part1.length + 2)));
    }

    @FunctionalInterface
    private interface Rest {
        void send() throws java.io.IOException;
    }

    @FunctionalInterface
    private interface FailFastStart {
        Rest sendInvalidPart(CaseContext c) throws java.io.IOException;
    }

    /** The frame's octets up to {@code first}, then up to {@code second}; the rest is sent on request. */
    private static Rest frameInChops(CaseContext c, byte[] payload, int first, int second) throws java.io.IOException {
        Frame frame = Frame.of(TEXT, payload);
        // The mask (client side) is applied by the connection; chop the encoded frame at payload offsets.
        byte[] encoded = c.encode(frame);
        int header = encoded.length - payload.length;
        c.sendRaw(Arrays.copyOfRange(encoded, 0, header + first));
        c.sendRaw(Arrays.copyOfRange(encoded, header + first, header + second));
        return () -> c.sendRaw(Arrays.copyOfRange(encoded, header + second, encoded.length));
    }

    private static ConformanceCase failFast(String id, String description, FailFastStart start) {
        return CaseBuilder.of(id, description)
                .expect(FAIL + " before the rest is sent (fail fast, RFC 6455 §8.1); failing later is NON-STRICT.")
                .script(c -> {
                    Rest rest = start.sendInvalidPart(c);
                    if (!c.awaitPeerCloseOrDrop(FAIL_FAST_WAIT)) {
                        c.note(Outcome.NON_STRICT, "the peer did not fail within " + FAIL_FAST_WAIT.toMillis()
                                + " ms of the invalid byte; sending the rest");
                        rest.send();
                    }
                })
                .closing(Closing.fails(1007))
                .build();
    }

    private static ConformanceCase single(Utf8Sequences.Sequence sequence) {
        String text = "Send text message with payload " + Hex.of(sequence.bytes(), 64) + " (" + sequence.description()
                + ")";
        if (sequence.valid()) {
            return CaseBuilder.of(sequence.id(), text)
                    .expect("Valid UTF-8: receive it echo'ed. Clean close with normal code.")
                    .script(c -> c.send(Frame.of(TEXT, sequence.bytes())))
                    .events(Event.text(sequence.bytes()))
                    .build();
        }
        return failing(sequence.id(), text, c -> c.send(Frame.of(TEXT, sequence.bytes())));
    }

    private static ConformanceCase failing(String id, String description, Script script) {
        return CaseBuilder.of(id, description)
                .expect(FAIL + ". Nothing echoed.")
                .script(script)
                .closing(Closing.fails(1007))
                .build();
    }
}
