package io.breakwater.conformance.cases;

/** A case's verdict, as in Autobahn's reports; later constants are worse. */
public enum Outcome {
    /** What the RFC requires, exactly. */
    OK,
    /** Observed for the record; the RFC sets no rule a peer could break here. */
    INFORMATIONAL,
    /** Allowed by the RFC, but not what it recommends (a SHOULD not followed). */
    NON_STRICT,
    /** The peer does not implement an optional feature the case needs (it may decline it). */
    UNIMPLEMENTED,
    /** Against the RFC. */
    FAILED;

    /** The name used in report.json: {@code NON-STRICT}, not {@code NON_STRICT}. */
    public String label() {
        return name().replace('_', '-');
    }

    public Outcome worst(Outcome other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
