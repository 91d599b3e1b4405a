package io.breakwater.conformance.cases;

import java.util.Set;
import java.util.TreeSet;

/**
 * How a case expects the connection to end.
 *
 * @param peerFails whether the peer must fail the connection (RFC 6455 §7.1.7); otherwise the fuzzer
 *        closes with 1000 once the expected events arrived, unless the case already sent a Close
 * @param codes the close codes the peer may send ({@code 1005} for a Close without a body)
 * @param description the expectation in words, for the report
 */
public record Closing(boolean peerFails, Set<Integer> codes, String description) {

    /** The fuzzer closes normally and the peer answers 1000 (§5.5.1 echoes the code). */
    public static Closing normal() {
        return new Closing(false, Set.of(1000), "clean close with normal code (1000)");
    }

    /** The fuzzer closed with {@code code}; the peer answers with it or with 1000. */
    public static Closing echoOrNormal(Integer code) {
        Set<Integer> codes = new TreeSet<>(Set.of(1000));
        codes.add(code == null ? 1005 : code);
        return new Closing(false, codes, "clean close, the peer answering with " + codes);
    }

    /** §7.1.7 Fail the WebSocket Connection with this code; dropping TCP without a Close is NON-STRICT. */
    public static Closing fails(int code) {
        return new Closing(true, Set.of(code), "the peer fails the connection with " + code
                + " (or drops TCP: NON-STRICT)");
    }
}
