package io.breakwater.conformance.wire;

import java.io.IOException;

/** Bytes from the peer that no reading of RFC 6455 allows. */
public final class WireViolation extends IOException {
    private static final long serialVersionUID = 1L;

    public WireViolation(String message) {
        super(message);
    }
}
