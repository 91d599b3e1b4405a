package io.breakwater.fuzz;

import io.breakwater.deflate.DeflateConfig;
import io.breakwater.deflate.DeflateNegotiation;
import io.breakwater.deflate.DeflateNegotiationException;
import io.breakwater.deflate.DeflateParameters;
import io.breakwater.handshake.ExtensionHeader;
import io.breakwater.handshake.ExtensionSpec;
import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.Role;
import java.util.List;

/**
 * permessage-deflate for one end of a connection under test, agreed through the real negotiation
 * (as {@code ServerUpgrade} and the client container do), from one control byte:
 * <ul>
 *   <li>bit 0, bit 1: our {@link DeflateConfig} asks for server_no_context_takeover, client_no_context_takeover;</li>
 *   <li>bit 2, bit 3: the peer's offer (to a server) or response (to a client) has server_no_context_takeover,
 *       client_no_context_takeover;</li>
 *   <li>bit 4: a server is offered client_max_window_bits; a client is answered server_max_window_bits
 *       of 8 + bits 5-7 (the window the server compresses with: 8..15).</li>
 * </ul>
 * No context takeover decides whether the inflater keeps its window from one message to the next.
 */
record Negotiated(Role role, DeflateConfig config, DeflateParameters parameters) {

    static Negotiated read(Role role, int options) {
        DeflateConfig config = DeflateConfig.DEFAULTS
                .withServerNoContextTakeover((options & 0x01) != 0)
                .withClientNoContextTakeover((options & 0x02) != 0);
        StringBuilder header = new StringBuilder(DeflateNegotiation.EXTENSION_NAME);
        if ((options & 0x04) != 0) {
            header.append("; server_no_context_takeover");
        }
        if ((options & 0x08) != 0) {
            header.append("; client_no_context_takeover");
        }
        List<ExtensionSpec> specs;
        DeflateParameters parameters;
        try {
            if (role == Role.SERVER) {
                if ((options & 0x10) != 0) {
                    header.append("; client_max_window_bits");
                }
                specs = ExtensionHeader.parse(header.toString());
                parameters = DeflateNegotiation.negotiateAsServer(specs, config).orElseThrow().parameters();
            } else {
                if ((options & 0x10) != 0) {
                    header.append("; server_max_window_bits=").append(8 + (options >>> 5));
                }
                specs = ExtensionHeader.parse(header.toString());
                parameters = DeflateNegotiation.negotiateAsClient(specs.get(0), config);
            }
        } catch (DeflateNegotiationException e) {
            throw new AssertionError("a valid permessage-deflate response was refused: " + header, e);
        }
        return new Negotiated(role, config, parameters);
    }

    /** A fresh extension for one connection, as the container makes it after the handshake. */
    MessageExtension newExtension() {
        return parameters.newExtension(role, config);
    }
}
