package io.breakwater.protocol;

import java.util.Objects;

/**
 * A close code and reason (RFC 6455 §5.5.1, §7.4).
 *
 * @param code   the status code, or {@link #NO_STATUS_RECEIVED} for a close frame without a body
 * @param reason the reason text, never null; empty when none was given
 */
public record CloseStatus(int code, String reason) {

    public static final int NORMAL_CLOSURE = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reported locally for a close frame without a body; never sent (RFC 6455 §7.4.1). */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** Reported locally when the connection ended without a close frame; never sent (RFC 6455 §7.4.1). */
    public static final int ABNORMAL_CLOSURE = 1006;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int MANDATORY_EXTENSION = 1010;
    public static final int INTERNAL_ERROR = 1011;
    /** Reported locally for a failed TLS handshake; never sent (RFC 6455 §7.4.1). */
    public static final int TLS_HANDSHAKE_FAILURE = 1015;

    /** The largest UTF-8 reason that fits a control frame beside the 2-byte code (RFC 6455 §5.5). */
    public static final int MAX_REASON_BYTES = 123;

    public static final CloseStatus NORMAL = new CloseStatus(NORMAL_CLOSURE, "");
    public static final CloseStatus NO_STATUS = new CloseStatus(NO_STATUS_RECEIVED, "");
    public static final CloseStatus ABNORMAL = new CloseStatus(ABNORMAL_CLOSURE, "");

    public CloseStatus {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Whether a code may appear in a close frame (RFC 6455 §7.4.1 and §7.4.2): 1000-1003 and 1007-1014
     * are defined or reserved for this protocol's own use (1012-1014 registered later with IANA),
     * 3000-4999 belong to libraries, frameworks and applications. Everything else, 1004-1006, 1015,
     * 1016-2999, below 1000 and from 5000 on, is never sent and fails the connection when received.
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }
}
