package io.breakwater.protocol;

/** The peer broke the protocol; the connection is failed with {@link #closeCode()}. */
public final class ProtocolException extends Exception {
    private final Violation violation;

    public ProtocolException(Violation violation) {
        this(violation, violation.description());
    }

    public ProtocolException(Violation violation, String detail) {
        super(detail);
        this.violation = violation;
    }

    public ProtocolException(Violation violation, String detail, Throwable cause) {
        super(detail, cause);
        this.violation = violation;
    }

    public Violation violation() {
        return violation;
    }

    public int closeCode() {
        return violation.closeCode();
    }
}
