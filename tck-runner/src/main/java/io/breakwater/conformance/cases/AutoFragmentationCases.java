package io.breakwater.conformance.cases;

import static io.breakwater.conformance.wire.Opcode.BINARY;
import static io.breakwater.conformance.wire.Opcode.TEXT;

import java.util.List;

/**
 * Group 10: a message fragmented by the sender arrives whole at the application, however the
 * peer fragments its echo (RFC 6455 §5.4: intermediaries and senders may fragment freely).
 */
final class AutoFragmentationCases {
    private AutoFragmentationCases() {
    }

    static List<ConformanceCase> cases() {
        byte[] text = Payloads.repeat('*', 65536);
        byte[] words = Payloads.words(65536, 10);
        byte[] binary = Payloads.pattern(65536);
        return List.of(
                autoFragmented("10.1.1", TEXT, "text", text, 1300),
                autoFragmented("10.1.2", TEXT, "multi-byte text (fragments split characters)", words, 1300),
                autoFragmented("10.1.3", BINARY, "binary", binary, 1300),
                autoFragmented("10.1.4", TEXT, "multi-byte text (fragments split characters)", words, 7));
    }

    private static ConformanceCase autoFragmented(String id, int opcode, String kind, byte[] payload, int size) {
        return CaseBuilder.of(id, "Send " + kind + " message with payload of length " + payload.length
                        + ", auto-fragmented into frames of " + size + " octets")
                .expect("Receive echo'ed message (the peer may fragment it as it likes). Clean close with normal code.")
                .script(c -> c.sendFragmented(opcode, payload, size))
                .events(FramingCases.echo(opcode, payload))
                .build();
    }
}
