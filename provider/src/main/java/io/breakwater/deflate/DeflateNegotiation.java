package io.breakwater.deflate;

import io.breakwater.handshake.ExtensionSpec;
import io.breakwater.handshake.ExtensionSpec.Parameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Negotiates permessage-deflate in the opening handshake (RFC 7692 §5 and §7.1), as a server that
 * answers the client's offers or as a client that makes an offer and checks the response.
 *
 * <p>We accept every window size: we inflate streams made with any window, and when we must compress
 * with a window under 15 bits, which {@link java.util.zip.Deflater} cannot limit, we compress without
 * back-references (see {@link DeflateParameters#newExtension}).
 *
 * <p>Extension and parameter names are matched without regard to case; what we write is lower case.
 */
public final class DeflateNegotiation {

    /** The extension token (RFC 7692 §7). */
    public static final String EXTENSION_NAME = "permessage-deflate";

    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    private DeflateNegotiation() {
    }

    /**
     * What a server agreed to: the parameters, and the element to send back in
     * {@code Sec-WebSocket-Extensions}.
     */
    public record Agreement(DeflateParameters parameters, ExtensionSpec response) {
    }

    /**
     * As a server, accepts the first acceptable permessage-deflate offer (RFC 7692 §5.1, §7.1).
     * Offers of other extensions are skipped. An offer is declined, and the next one tried, when it has
     * an unknown or repeated parameter, a value where none belongs, or a missing or malformed window size.
     *
     * @param offers the client's extension offers, in its order of preference
     * @param config our preferences; its no-context-takeover wishes are added to the response
     * @return the agreement, or empty when every permessage-deflate offer was declined (or there was none)
     */
    public static Optional<Agreement> negotiateAsServer(List<ExtensionSpec> offers, DeflateConfig config) {
        for (ExtensionSpec offer : offers) {
            if (!isPermessageDeflate(offer)) {
                continue;
            }
            Offered offered;
            try {
                offered = Offered.parse(offer, true);
            } catch (DeflateNegotiationException malformed) {
                continue; // §7: a server declines an offer it cannot accept and considers the next one
            }
            return Optional.of(accept(offered, config));
        }
        return Optional.empty();
    }

    private static Agreement accept(Offered offered, DeflateConfig config) {
        // §7.1.1.1: a server accepts server_no_context_takeover by echoing it, and may add it unasked.
        boolean serverNoContextTakeover = offered.serverNoContextTakeover() || config.serverNoContextTakeover();
        // §7.1.1.2: a server may tell the client to reset its context whether or not the client offered to.
        boolean clientNoContextTakeover = offered.clientNoContextTakeover() || config.clientNoContextTakeover();
        List<Parameter> response = new ArrayList<>(3);
        if (serverNoContextTakeover) {
            response.add(Parameter.flag(SERVER_NO_CONTEXT_TAKEOVER));
        }
        if (clientNoContextTakeover) {
            response.add(Parameter.flag(CLIENT_NO_CONTEXT_TAKEOVER));
        }
        int serverMaxWindowBits = DeflateParameters.MAX_WINDOW_BITS;
        if (offered.serverMaxWindowBits() != Offered.ABSENT) {
            // §7.1.2.1: an offered server_max_window_bits must be answered with a value no larger; we take
            // the client's, and compress within it.
            serverMaxWindowBits = offered.serverMaxWindowBits();
            response.add(new Parameter(SERVER_MAX_WINDOW_BITS, Integer.toString(serverMaxWindowBits)));
        }
        // §7.1.2.2: client_max_window_bits may be left out of the response, which leaves the client its
        // full window; we inflate any window, so we never limit the client.
        DeflateParameters parameters = new DeflateParameters(serverNoContextTakeover, clientNoContextTakeover,
                serverMaxWindowBits, DeflateParameters.MAX_WINDOW_BITS);
        return new Agreement(parameters, new ExtensionSpec(EXTENSION_NAME, response));
    }

    /**
     * As a client, the offer to send: {@code permessage-deflate; client_max_window_bits}, with the
     * no-context-takeover parameters the config asks for. {@code client_max_window_bits} without a
     * value lets the server ask us for a smaller window (RFC 7692 §7.1.2.2), which we honour by
     * compressing without back-references.
     *
     * @param config our preferences
     * @return the element to send in {@code Sec-WebSocket-Extensions}
     */
    public static ExtensionSpec clientOffer(DeflateConfig config) {
        List<Parameter> parameters = new ArrayList<>(3);
        if (config.serverNoContextTakeover()) {
            parameters.add(Parameter.flag(SERVER_NO_CONTEXT_TAKEOVER));
        }
        if (config.clientNoContextTakeover()) {
            parameters.add(Parameter.flag(CLIENT_NO_CONTEXT_TAKEOVER));
        }
        parameters.add(Parameter.flag(CLIENT_MAX_WINDOW_BITS));
        return new ExtensionSpec(EXTENSION_NAME, parameters);
    }

    /**
     * As a client that sent {@link #clientOffer(DeflateConfig)}, checks the server's response and
     * returns the agreed parameters (RFC 7692 §5.1, §7.1).
     *
     * <p>{@code server_no_context_takeover} and {@code client_no_context_takeover} are accepted whether
     * or not we offered them; {@code server_max_window_bits} 8..15 is accepted, since we inflate any
     * window, and so is {@code client_max_window_bits} 8..15, which our offer allowed. When the config
     * asks for client_no_context_takeover we reset our compressor after every message even if the
     * response did not say so (§7.1.1.2 leaves that to the client).
     *
     * @param response the server's one permessage-deflate element of {@code Sec-WebSocket-Extensions}
     * @param config the preferences the offer was made from
     * @return the agreed parameters, for {@link DeflateParameters#newExtension}
     * @throws DeflateNegotiationException when the client must fail the connection: the element is not
     *         permessage-deflate, or has an unknown or repeated parameter, a value where none belongs,
     *         or a missing or malformed window size
     */
    public static DeflateParameters negotiateAsClient(ExtensionSpec response, DeflateConfig config)
            throws DeflateNegotiationException {
        if (!isPermessageDeflate(response)) {
            throw new DeflateNegotiationException(
                    "the response names extension " + response.name() + ", not " + EXTENSION_NAME);
        }
        Offered accepted = Offered.parse(response, false);
        int serverMaxWindowBits = accepted.serverMaxWindowBits() == Offered.ABSENT
                ? DeflateParameters.MAX_WINDOW_BITS
                : accepted.serverMaxWindowBits();
        int clientMaxWindowBits = accepted.clientMaxWindowBitsPresent()
                ? accepted.clientMaxWindowBits()
                : DeflateParameters.MAX_WINDOW_BITS;
        return new DeflateParameters(accepted.serverNoContextTakeover(),
                accepted.clientNoContextTakeover() || config.clientNoContextTakeover(),
                serverMaxWindowBits, clientMaxWindowBits);
    }

    static boolean isPermessageDeflate(ExtensionSpec spec) {
        return spec.name().equalsIgnoreCase(EXTENSION_NAME);
    }

    /**
     * The parameters of one permessage-deflate offer or response, checked against the syntax of
     * RFC 7692 §7.1.
     *
     * @param serverMaxWindowBits 8..15, or {@link #ABSENT}
     * @param clientMaxWindowBits 8..15, or {@link #ABSENT} when not given or given without a value
     */
    record Offered(
            boolean serverNoContextTakeover,
            boolean clientNoContextTakeover,
            int serverMaxWindowBits,
            boolean clientMaxWindowBitsPresent,
            int clientMaxWindowBits) {

        static final int ABSENT = 0;

        /**
         * @param offer whether this is a client's offer, where client_max_window_bits may come
         *        without a value (§7.1.2.2); in a response it needs one
         */
        static Offered parse(ExtensionSpec spec, boolean offer) throws DeflateNegotiationException {
            boolean serverNoContextTakeover = false;
            boolean clientNoContextTakeover = false;
            int serverMaxWindowBits = ABSENT;
            boolean clientMaxWindowBitsPresent = false;
            int clientMaxWindowBits = ABSENT;
            Set<String> seen = new HashSet<>();
            for (Parameter parameter : spec.parameters()) {
                String name = parameter.name().toLowerCase(Locale.ROOT);
                switch (name) {
                    case SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER,
                         SERVER_MAX_WINDOW_BITS, CLIENT_MAX_WINDOW_BITS -> { }
                    default -> throw new DeflateNegotiationException("unknown parameter " + parameter.name());
                }
                // §7: an offer or response with two parameters of one name is invalid.
                if (!seen.add(name)) {
                    throw new DeflateNegotiationException("parameter " + name + " appears more than once");
                }
                switch (name) {
                    case SERVER_NO_CONTEXT_TAKEOVER -> {
                        requireNoValue(parameter); // §7.1.1.1
                        serverNoContextTakeover = true;
                    }
                    case CLIENT_NO_CONTEXT_TAKEOVER -> {
                        requireNoValue(parameter); // §7.1.1.2
                        clientNoContextTakeover = true;
                    }
                    case SERVER_MAX_WINDOW_BITS -> serverMaxWindowBits = windowBits(parameter, true); // §7.1.2.1
                    default -> { // CLIENT_MAX_WINDOW_BITS, §7.1.2.2
                        clientMaxWindowBitsPresent = true;
                        clientMaxWindowBits = windowBits(parameter, !offer);
                    }
                }
            }
            return new Offered(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits,
                    clientMaxWindowBitsPresent, clientMaxWindowBits);
        }

        private static void requireNoValue(Parameter parameter) throws DeflateNegotiationException {
            if (parameter.hasValue()) {
                throw new DeflateNegotiationException(
                        "parameter " + parameter.name() + " takes no value but has " + parameter.value());
            }
        }

        /**
         * §7.1.2.1/§7.1.2.2: the value is a decimal integer 8..15 with no leading zeros, i.e. exactly
         * one of "8", "9", "10" ... "15".
         */
        private static int windowBits(Parameter parameter, boolean valueRequired) throws DeflateNegotiationException {
            if (!parameter.hasValue()) {
                if (valueRequired) {
                    throw new DeflateNegotiationException("parameter " + parameter.name() + " needs a value 8..15");
                }
                return ABSENT;
            }
            String value = parameter.value();
            boolean valid = value.length() == 1
                    ? value.charAt(0) == '8' || value.charAt(0) == '9'
                    : value.length() == 2 && value.charAt(0) == '1' && value.charAt(1) >= '0' && value.charAt(1) <= '5';
            if (!valid) {
                throw new DeflateNegotiationException(
                        "parameter " + parameter.name() + " must be a window size 8..15, not " + value);
            }
            return Integer.parseInt(value);
        }
    }
}
