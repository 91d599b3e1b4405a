package io.breakwater.conformance.cases;

import static io.breakwater.conformance.wire.Opcode.BINARY;
import static io.breakwater.conformance.wire.Opcode.PING;
import static io.breakwater.conformance.wire.Opcode.TEXT;

import io.breakwater.conformance.run.Event;
import io.breakwater.conformance.wire.DeflateParameters;
import io.breakwater.conformance.wire.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups 12 and 13: permessage-deflate (RFC 7692). 12 sends payloads of every kind and size with the
 * plain offer; 13 runs every parameter combination: context takeover on and off in each direction,
 * window sizes, several offers. Each case sends {@link #MESSAGES} messages and expects each echoed.
 */
final class DeflateCases {
    private static final int MESSAGES = 10;
    private static final int[] SIZES_12 = {16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072};
    private static final int[] SIZES_13 = {64, 4096, 65536};

    private DeflateCases() {
    }

    private record Kind(String description, int opcode, PayloadSource source) {
    }

    @FunctionalInterface
    private interface PayloadSource {
        byte[] make(int size, long seed);
    }

    static List<ConformanceCase> group12() {
        List<Kind> kinds = List.of(
                new Kind("JSON-like text", TEXT, Payloads::json),
                new Kind("random binary (incompressible)", BINARY, Payloads::random),
                new Kind("uniform text (highly compressible)", TEXT, (size, seed) -> Payloads.repeat('a', size)),
                new Kind("multi-byte text", TEXT, Payloads::words),
                new Kind("patterned binary", BINARY, (size, seed) -> Payloads.pattern(size)));
        List<ConformanceCase> cases = new ArrayList<>();
        DeflateSetup plain = DeflateSetup.of(DeflateParameters.NONE);
        for (int k = 0; k < kinds.size(); k++) {
            for (int s = 0; s < SIZES_12.length; s++) {
                cases.add(messages("12." + (k + 1) + "." + (s + 1), kinds.get(k), SIZES_12[s], plain, 0));
            }
        }
        Kind json = kinds.get(0);
        int[] fragmentedSizes = {1024, 16384, 65536, 131072};
        for (int s = 0; s < fragmentedSizes.length; s++) {
            cases.add(messages("12.6." + (s + 1), json, fragmentedSizes[s], plain, 1000));
        }
        cases.add(CaseBuilder.of("12.7.1", "With permessage-deflate agreed, send a compressed message whose "
                        + "continuation frame also has RSV1 set")
                .expect("The connection is failed (1002/Protocol Error): RSV1 marks only a message's first frame "
                        + "(RFC 7692 §6.1)")
                .deflate(plain)
                .script(c -> {
                    Frame whole = c.messageFrame(TEXT, Payloads.json(2048, 1));
                    byte[] data = whole.payload();
                    int half = data.length / 2;
                    c.send(new Frame(false, 4, TEXT, java.util.Arrays.copyOfRange(data, 0, half), null));
                    c.send(new Frame(true, 4, 0, java.util.Arrays.copyOfRange(data, half, data.length), null));
                })
                .closing(Closing.fails(1002))
                .build());
        cases.add(CaseBuilder.of("12.7.2", "With permessage-deflate agreed, send a ping with RSV1 set")
                .expect("The connection is failed (1002/Protocol Error): permessage-deflate defines RSV1 for data "
                        + "frames only (RFC 7692 §6)")
                .deflate(plain)
                .script(c -> c.send(Frame.of(PING, Payloads.utf8("ping")).withRsv(4)))
                .closing(Closing.fails(1002))
                .build());
        byte[] hello = Payloads.utf8("Hello, uncompressed world!");
        cases.add(CaseBuilder.of("12.7.3", "With permessage-deflate agreed, send a message uncompressed (RSV1 clear)")
                .expect("Receive it echo'ed: compression is per message (RFC 7692 §6). Clean close with normal code.")
                .deflate(plain)
                .script(c -> c.send(Frame.of(TEXT, hello)))
                .events(Event.text(hello))
                .build());
        return cases;
    }

    static List<ConformanceCase> group13() {
        List<DeflateSetup> setups = List.of(
                DeflateSetup.of(DeflateParameters.NONE),
                DeflateSetup.of(new DeflateParameters(true, false, null, null)),
                DeflateSetup.of(new DeflateParameters(false, true, null, null)),
                DeflateSetup.of(new DeflateParameters(true, true, null, null)),
                DeflateSetup.of(new DeflateParameters(false, false, 15, null)),
                DeflateSetup.of(new DeflateParameters(false, false, 9, null)),
                DeflateSetup.of(new DeflateParameters(true, false, 8, null)),
                DeflateSetup.of(new DeflateParameters(false, false, null, 10)),
                DeflateSetup.of(new DeflateParameters(true, false, 9, null), new DeflateParameters(true, false, null, null),
                        DeflateParameters.NONE));
        Kind kind = new Kind("multi-byte text", TEXT, Payloads::words);
        List<ConformanceCase> cases = new ArrayList<>();
        for (int p = 0; p < setups.size(); p++) {
            for (int s = 0; s < SIZES_13.length; s++) {
                cases.add(messages("13." + (p + 1) + "." + (s + 1), kind, SIZES_13[s], setups.get(p), 0));
            }
        }
        return cases;
    }

    private static ConformanceCase messages(String id, Kind kind, int size, DeflateSetup setup, int fragmentSize) {
        List<byte[]> payloads = new ArrayList<>();
        List<Event> echoes = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            byte[] payload = kind.source().make(size, id.hashCode() * 31L + i);
            payloads.add(payload);
            echoes.add(FramingCases.echo(kind.opcode(), payload));
        }
        return CaseBuilder.of(id, "With " + setup + ": send " + MESSAGES + " compressed messages of " + kind.description()
                        + ", " + size + " octets each" + (fragmentSize > 0 ? ", in frames of " + fragmentSize
                        + " octets of compressed data" : ""))
                .expect("Receive every message echo'ed, in order. Clean close with normal code. A peer that declines "
                        + "the offer is UNIMPLEMENTED (RFC 7692 §5).")
                .deflate(setup)
                .script(c -> {
                    for (byte[] payload : payloads) {
                        if (fragmentSize > 0) {
                            c.sendFragmented(kind.opcode(), payload, fragmentSize);
                        } else {
                            c.sendMessage(kind.opcode(), payload);
                        }
                    }
                })
                .events(echoes)
                .build();
    }
}
