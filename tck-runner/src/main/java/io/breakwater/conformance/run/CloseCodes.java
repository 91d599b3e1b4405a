package io.breakwater.conformance.run;

/** Which close status codes may appear in a Close frame on the wire (RFC 6455 §7.4). */
public final class CloseCodes {
    /** Stands for a Close frame without a body (§7.1.5: "no status code was present"). */
    public static final int NO_STATUS = 1005;

    private CloseCodes() {
    }

    /**
     * §7.4.1/§7.4.2 and the IANA registry: 1000-1003, 1007-1014 (1012-1014 registered later), and
     * 3000-4999. 1004, 1005, 1006 and 1015 are reserved and must never be sent; 1016-2999 are
     * for future revisions of the protocol.
     */
    public static boolean mayBeSent(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
