package io.breakwater.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.breakwater.deflate.DeflateConfig;
import io.breakwater.deflate.DeflateNegotiation;
import io.breakwater.deflate.DeflateNegotiationException;
import io.breakwater.deflate.DeflateParameters;
import io.breakwater.handshake.ExtensionHeader;
import io.breakwater.handshake.ExtensionSpec;
import io.breakwater.protocol.Role;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code Sec-WebSocket-Extensions} values (RFC 6455 §9.1) as the parser, our server's negotiation,
 * and our client's check of a response meet them.
 *
 * <p>Input: one byte of server preferences (bit 0 server_no_context_takeover, bit 1
 * client_no_context_takeover), then the header value, one char per byte (ISO-8859-1, as
 * {@code HttpRequestHead} reads header values).
 */
class ExtensionHeaderFuzzTest {

    @FuzzTest
    void parseAndNegotiate(byte[] data) {
        FuzzInput input = new FuzzInput(data);
        int preferences = input.nextByte();
        String value = new String(input.rest(), StandardCharsets.ISO_8859_1);
        DeflateConfig config = DeflateConfig.DEFAULTS
                .withServerNoContextTakeover((preferences & 1) != 0)
                .withClientNoContextTakeover((preferences & 2) != 0);

        List<ExtensionSpec> specs;
        try {
            specs = ExtensionHeader.parse(value);
        } catch (IllegalArgumentException malformed) {
            return; // the documented answer to a malformed value; ServerHandshake turns it into a 400
        }
        assertFalse(specs.isEmpty(), "a parsed header names at least one extension");
        for (ExtensionSpec spec : specs) {
            assertTrue(ExtensionHeader.isToken(spec.name()), "extension name " + spec.name());
            for (ExtensionSpec.Parameter parameter : spec.parameters()) {
                assertTrue(ExtensionHeader.isToken(parameter.name()), "parameter name " + parameter.name());
                assertTrue(!parameter.hasValue() || ExtensionHeader.isToken(parameter.value()),
                        "parameter value " + parameter.value());
            }
        }
        assertEquals(specs, ExtensionHeader.parse(ExtensionHeader.format(specs)), "formatted and read back");

        ServerNegotiationCheck.check(specs, config);

        // As a client, each element is a possible response: refused with the checked exception or usable.
        for (ExtensionSpec spec : specs) {
            DeflateParameters parameters;
            try {
                parameters = DeflateNegotiation.negotiateAsClient(spec, config);
            } catch (DeflateNegotiationException refused) {
                continue;
            }
            assertTrue(spec.name().equalsIgnoreCase(DeflateNegotiation.EXTENSION_NAME), "accepted " + spec);
            parameters.newExtension(Role.CLIENT, config).release();
        }
    }
}
