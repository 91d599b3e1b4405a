package io.breakwater.conformance.cases;

import io.breakwater.conformance.wire.DeflateParameters;
import java.util.List;

/**
 * The permessage-deflate parameters a case runs with. As a fuzzing client the suite offers them in
 * this order (RFC 7692 §5.1); as a fuzzing server it answers with the first one the client's offer
 * permits (§7.1). A peer that declines, or a client whose offer permits none, is UNIMPLEMENTED:
 * RFC 7692 lets either side do without the extension.
 */
public record DeflateSetup(List<DeflateParameters> parameterSets) {
    public static DeflateSetup of(DeflateParameters... sets) {
        return new DeflateSetup(List.of(sets));
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (DeflateParameters set : parameterSets) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(set.header());
        }
        return out.toString();
    }
}
