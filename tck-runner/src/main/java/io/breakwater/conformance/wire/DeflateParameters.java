package io.breakwater.conformance.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parameters of one permessage-deflate offer or response element (RFC 7692 §7.1).
 * A window size is null when the parameter is absent, {@link #NO_VALUE} for a
 * {@code client_max_window_bits} offered without a value (§7.1.2.2), else 8..15.
 */
public record DeflateParameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                                Integer serverMaxWindowBits, Integer clientMaxWindowBits) {
    public static final String NAME = "permessage-deflate";
    public static final int NO_VALUE = 0;
    public static final int MAX_WINDOW_BITS = 15;
    public static final DeflateParameters NONE = new DeflateParameters(false, false, null, null);

    /** The element as it is written in Sec-WebSocket-Extensions. */
    public String header() {
        StringBuilder out = new StringBuilder(NAME);
        if (serverNoContextTakeover) {
            out.append("; server_no_context_takeover");
        }
        if (clientNoContextTakeover) {
            out.append("; client_no_context_takeover");
        }
        if (serverMaxWindowBits != null) {
            out.append("; server_max_window_bits=").append(serverMaxWindowBits);
        }
        if (clientMaxWindowBits != null) {
            out.append("; client_max_window_bits");
            if (clientMaxWindowBits != NO_VALUE) {
                out.append('=').append(clientMaxWindowBits);
            }
        }
        return out.toString();
    }

    /** The window the server compresses with once this is the agreed response (§7.1.2.1). */
    public int serverWindow() {
        return serverMaxWindowBits == null ? MAX_WINDOW_BITS : serverMaxWindowBits;
    }

    /** The window the client compresses with once this is the agreed response (§7.1.2.2). */
    public int clientWindow() {
        return clientMaxWindowBits == null || clientMaxWindowBits == NO_VALUE ? MAX_WINDOW_BITS : clientMaxWindowBits;
    }

    /**
     * The window a client that made {@code offer} compresses with after {@code response}: §7.1.2.2
     * binds it to a value it offered, whatever the response says, and to the response's value.
     */
    public static int clientWindow(DeflateParameters offer, DeflateParameters response) {
        return Math.min(offer.clientWindow(), response.clientWindow());
    }

    /**
     * Parses one element. Unknown or repeated parameters, values where none belong and window sizes
     * outside 8..15 are errors (§7.1); {@code client_max_window_bits} without a value is only
     * allowed in an offer.
     *
     * @return null when the element names another extension
     * @throws IllegalArgumentException naming what is wrong
     */
    public static DeflateParameters parse(String element, boolean offer) {
        String[] parts = element.split(";");
        if (!parts[0].trim().equalsIgnoreCase(NAME)) {
            return null;
        }
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        Integer serverBits = null;
        Integer clientBits = null;
        List<String> seen = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int equals = part.indexOf('=');
            String name = (equals < 0 ? part : part.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
            String value = equals < 0 ? null : unquote(part.substring(equals + 1).trim());
            if (seen.contains(name)) {
                throw new IllegalArgumentException("parameter " + name + " repeated (RFC 7692 §7)");
            }
            seen.add(name);
            switch (name) {
                case "server_no_context_takeover", "client_no_context_takeover" -> {
                    if (value != null) {
                        throw new IllegalArgumentException(name + " takes no value (RFC 7692 §7.1.1)");
                    }
                    if (name.startsWith("server")) {
                        serverNoContext = true;
                    } else {
                        clientNoContext = true;
                    }
                }
                case "server_max_window_bits" -> serverBits = windowBits(name, value, false);
                case "client_max_window_bits" -> clientBits = windowBits(name, value, offer);
                default -> throw new IllegalArgumentException("unknown parameter " + name + " (RFC 7692 §7)");
            }
        }
        return new DeflateParameters(serverNoContext, clientNoContext, serverBits, clientBits);
    }

    private static Integer windowBits(String name, String value, boolean valueOptional) {
        if (value == null) {
            if (valueOptional) {
                return NO_VALUE;
            }
            throw new IllegalArgumentException(name + " needs a value (RFC 7692 §7.1.2)");
        }
        if (!value.matches("[1-9][0-9]?")) {
            throw new IllegalArgumentException(name + "=" + value + " is not a decimal window size (RFC 7692 §7.1.2)");
        }
        int bits = Integer.parseInt(value);
        if (bits < 8 || bits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException(name + "=" + bits + " is outside 8..15 (RFC 7692 §7.1.2)");
        }
        return bits;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    /**
     * Whether a server's response may accept this offer (RFC 7692 §7.1): every no-context-takeover
     * the client offered for the server is confirmed, a server window is at most the offered one,
     * and a client window appears only when the client offered one, at most its value.
     */
    public boolean acceptedBy(DeflateParameters response) {
        if (serverNoContextTakeover && !response.serverNoContextTakeover) {
            return false; // §7.1.1.1
        }
        if (serverMaxWindowBits != null
                && (response.serverMaxWindowBits == null || response.serverMaxWindowBits > serverMaxWindowBits)) {
            return false; // §7.1.2.1
        }
        if (response.clientMaxWindowBits != null) {
            if (clientMaxWindowBits == null) {
                return false; // §7.1.2.2
            }
            return clientMaxWindowBits == NO_VALUE || response.clientMaxWindowBits <= clientMaxWindowBits;
        }
        return true;
    }
}
