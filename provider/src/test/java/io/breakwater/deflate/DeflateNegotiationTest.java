package io.breakwater.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.handshake.ExtensionHeader;
import io.breakwater.handshake.ExtensionSpec;
import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.Role;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeflateNegotiationTest {

    private static Optional<DeflateNegotiation.Agreement> serverAccepts(String offers, DeflateConfig config) {
        return DeflateNegotiation.negotiateAsServer(ExtensionHeader.parse(offers), config);
    }

    /** The response header the server sends for these offers, or null when it declines them all. */
    private static String serverResponse(String offers) {
        return serverResponse(offers, DeflateConfig.DEFAULTS);
    }

    private static String serverResponse(String offers, DeflateConfig config) {
        return serverAccepts(offers, config)
                .map(agreement -> ExtensionHeader.format(List.of(agreement.response())))
                .orElse(null);
    }

    private static DeflateParameters serverParameters(String offers, DeflateConfig config) {
        return serverAccepts(offers, config).orElseThrow().parameters();
    }

    @Nested
    class AsServer {

        @Test
        void plainOffer() {
            assertEquals("permessage-deflate", serverResponse("permessage-deflate"));
            assertEquals(new DeflateParameters(false, false, 15, 15),
                    serverParameters("permessage-deflate", DeflateConfig.DEFAULTS));
        }

        @Test
        void noOffers() {
            assertEquals(Optional.empty(), DeflateNegotiation.negotiateAsServer(List.of(), DeflateConfig.DEFAULTS));
        }

        @Test
        void otherExtensionsAreSkipped() {
            assertEquals(null, serverResponse("x-webkit-deflate-frame, foo; bar=1"));
            assertEquals("permessage-deflate", serverResponse("x-webkit-deflate-frame, permessage-deflate, foo"));
        }

        @Test
        void extensionNameIgnoresCase() {
            assertEquals("permessage-deflate", serverResponse("PerMessage-Deflate"));
        }

        @Test
        void serverNoContextTakeoverIsHonouredAndEchoed() {
            assertEquals("permessage-deflate; server_no_context_takeover",
                    serverResponse("permessage-deflate; server_no_context_takeover"));
            assertEquals(new DeflateParameters(true, false, 15, 15),
                    serverParameters("permessage-deflate; server_no_context_takeover", DeflateConfig.DEFAULTS));
        }

        @Test
        void clientNoContextTakeoverIsEchoed() {
            assertEquals("permessage-deflate; client_no_context_takeover",
                    serverResponse("permessage-deflate; client_no_context_takeover"));
            assertEquals(new DeflateParameters(false, true, 15, 15),
                    serverParameters("permessage-deflate; client_no_context_takeover", DeflateConfig.DEFAULTS));
        }

        @Test
        void clientMaxWindowBitsIsNeverInTheResponse() {
            assertEquals("permessage-deflate", serverResponse("permessage-deflate; client_max_window_bits"));
            assertEquals("permessage-deflate", serverResponse("permessage-deflate; client_max_window_bits=10"));
            assertEquals("permessage-deflate", serverResponse("permessage-deflate; client_max_window_bits=8"));
            assertEquals("permessage-deflate", serverResponse("permessage-deflate; client_max_window_bits=\"15\""));
            assertEquals(new DeflateParameters(false, false, 15, 15),
                    serverParameters("permessage-deflate; client_max_window_bits=9", DeflateConfig.DEFAULTS));
        }

        @Test
        void serverMaxWindowBits15IsAcceptedAndEchoed() {
            assertEquals("permessage-deflate; server_max_window_bits=15",
                    serverResponse("permessage-deflate; server_max_window_bits=15"));
            assertEquals("permessage-deflate; server_max_window_bits=15",
                    serverResponse("permessage-deflate; server_max_window_bits=\"15\""));
        }

        @ParameterizedTest
        @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14})
        void serverMaxWindowBitsBelow15IsAcceptedWithTheOfferedValue(int bits) {
            // §7.1.2.1: answered with a value no larger than offered; we compress within it (no back-references).
            assertEquals("permessage-deflate; server_max_window_bits=" + bits,
                    serverResponse("permessage-deflate; server_max_window_bits=" + bits));
            assertEquals(bits, serverParameters("permessage-deflate; server_max_window_bits=" + bits,
                    DeflateConfig.DEFAULTS).serverMaxWindowBits());
        }

        @Test
        void everyParameterAtOnce() {
            String offer = "permessage-deflate; client_max_window_bits; server_max_window_bits=15; "
                    + "client_no_context_takeover; server_no_context_takeover";
            assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                    + "server_max_window_bits=15", serverResponse(offer));
            assertEquals(new DeflateParameters(true, true, 15, 15), serverParameters(offer, DeflateConfig.DEFAULTS));
        }

        @Test
        void configAddsNoContextTakeoverUnasked() {
            DeflateConfig both = DeflateConfig.DEFAULTS.withServerNoContextTakeover(true).withClientNoContextTakeover(true);
            assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                    serverResponse("permessage-deflate", both));
            assertEquals(new DeflateParameters(true, true, 15, 15), serverParameters("permessage-deflate", both));

            DeflateConfig server = DeflateConfig.DEFAULTS.withServerNoContextTakeover(true);
            assertEquals("permessage-deflate; server_no_context_takeover", serverResponse("permessage-deflate", server));
            DeflateConfig client = DeflateConfig.DEFAULTS.withClientNoContextTakeover(true);
            assertEquals("permessage-deflate; client_no_context_takeover", serverResponse("permessage-deflate", client));
            // offered and configured: said once
            assertEquals("permessage-deflate; client_no_context_takeover",
                    serverResponse("permessage-deflate; client_no_context_takeover", client));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            // unknown parameters
            "permessage-deflate; foo",
            "permessage-deflate; foo=1",
            "permessage-deflate; server_no_context_takeover; mystery",
            // duplicated parameters
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
            "permessage-deflate; server_max_window_bits=15; server_max_window_bits=15",
            "permessage-deflate; client_max_window_bits; client_max_window_bits",
            "permessage-deflate; client_max_window_bits=10; client_max_window_bits=10",
            "permessage-deflate; server_no_context_takeover; SERVER_NO_CONTEXT_TAKEOVER",
            // a value where none is allowed
            "permessage-deflate; server_no_context_takeover=x",
            "permessage-deflate; client_no_context_takeover=1",
            "permessage-deflate; client_no_context_takeover=\"true\"",
            // server_max_window_bits needs a value
            "permessage-deflate; server_max_window_bits",
            // invalid window sizes
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; server_max_window_bits=0",
            "permessage-deflate; server_max_window_bits=015",
            "permessage-deflate; server_max_window_bits=+15",
            "permessage-deflate; server_max_window_bits=-15",
            "permessage-deflate; server_max_window_bits=1e1",
            "permessage-deflate; server_max_window_bits=fifteen",
            "permessage-deflate; server_max_window_bits=150",
            "permessage-deflate; client_max_window_bits=16",
            "permessage-deflate; client_max_window_bits=7",
            "permessage-deflate; client_max_window_bits=08",
            "permessage-deflate; client_max_window_bits=+9",
            "permessage-deflate; client_max_window_bits=x",
        })
        void malformedOfferIsDeclinedAndTheNextTried(String offer) {
            assertEquals(null, serverResponse(offer));
            assertEquals("permessage-deflate; client_no_context_takeover",
                    serverResponse(offer + ", permessage-deflate; client_no_context_takeover"));
        }

        @Test
        void firstAcceptableOfferWins() {
            String offers = "permessage-deflate; server_max_window_bits=10; client_max_window_bits, "
                    + "permessage-deflate; server_no_context_takeover=yes, "
                    + "permessage-deflate; server_max_window_bits=15; client_max_window_bits, "
                    + "permessage-deflate";
            assertEquals("permessage-deflate; server_max_window_bits=10", serverResponse(offers));
        }

        @Test
        void allOffersDeclined() {
            assertEquals(null, serverResponse(
                    "permessage-deflate; server_max_window_bits=16, permessage-deflate; bogus, foo"));
        }
    }

    @Nested
    class AsClient {

        private DeflateParameters clientAccepts(String response) throws DeflateNegotiationException {
            return clientAccepts(response, DeflateConfig.DEFAULTS);
        }

        private DeflateParameters clientAccepts(String response, DeflateConfig config)
                throws DeflateNegotiationException {
            List<ExtensionSpec> specs = ExtensionHeader.parse(response);
            assertEquals(1, specs.size());
            return DeflateNegotiation.negotiateAsClient(specs.get(0), config);
        }

        private String rejection(String response) {
            return assertThrows(DeflateNegotiationException.class, () -> clientAccepts(response)).getMessage();
        }

        @Test
        void offer() {
            // client_max_window_bits: the server may ask us for a smaller window (RFC 7692 §7.1.2.2).
            assertEquals("permessage-deflate; client_max_window_bits",
                    ExtensionHeader.format(List.of(DeflateNegotiation.clientOffer(DeflateConfig.DEFAULTS))));
            assertEquals("permessage-deflate; server_no_context_takeover; client_max_window_bits",
                    DeflateNegotiation.clientOffer(DeflateConfig.DEFAULTS.withServerNoContextTakeover(true)).toString());
            assertEquals("permessage-deflate; client_no_context_takeover; client_max_window_bits",
                    DeflateNegotiation.clientOffer(DeflateConfig.DEFAULTS.withClientNoContextTakeover(true)).toString());
            assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits",
                    DeflateNegotiation.clientOffer(DeflateConfig.DEFAULTS
                            .withServerNoContextTakeover(true).withClientNoContextTakeover(true)).toString());
        }

        @Test
        void ourOfferIsAcceptedByOurServer() throws DeflateNegotiationException {
            DeflateConfig config = DeflateConfig.DEFAULTS.withServerNoContextTakeover(true).withClientNoContextTakeover(true);
            ExtensionSpec offer = DeflateNegotiation.clientOffer(config);
            DeflateNegotiation.Agreement agreement =
                    DeflateNegotiation.negotiateAsServer(List.of(offer), DeflateConfig.DEFAULTS).orElseThrow();
            assertEquals(agreement.parameters(),
                    DeflateNegotiation.negotiateAsClient(agreement.response(), config));
        }

        @Test
        void plainResponse() throws DeflateNegotiationException {
            assertEquals(new DeflateParameters(false, false, 15, 15), clientAccepts("permessage-deflate"));
        }

        @Test
        void noContextTakeoverResponses() throws DeflateNegotiationException {
            assertEquals(new DeflateParameters(true, false, 15, 15),
                    clientAccepts("permessage-deflate; server_no_context_takeover"));
            assertEquals(new DeflateParameters(false, true, 15, 15),
                    clientAccepts("permessage-deflate; client_no_context_takeover"));
            assertEquals(new DeflateParameters(true, true, 15, 15),
                    clientAccepts("permessage-deflate; client_no_context_takeover; server_no_context_takeover"));
        }

        @Test
        void configuredClientNoContextTakeoverAppliesEvenWhenNotEchoed() throws DeflateNegotiationException {
            assertEquals(new DeflateParameters(false, true, 15, 15),
                    clientAccepts("permessage-deflate", DeflateConfig.DEFAULTS.withClientNoContextTakeover(true)));
        }

        @ParameterizedTest
        @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
        void anyServerMaxWindowBitsIsAccepted(int bits) throws DeflateNegotiationException {
            assertEquals(new DeflateParameters(false, false, bits, 15),
                    clientAccepts("permessage-deflate; server_max_window_bits=" + bits));
            assertInstanceOf(PerMessageDeflate.class,
                    new DeflateParameters(false, false, bits, 15).newExtension(Role.CLIENT, DeflateConfig.DEFAULTS));
        }

        @Test
        void quotedValue() throws DeflateNegotiationException {
            assertEquals(new DeflateParameters(false, false, 12, 15),
                    clientAccepts("permessage-deflate; server_max_window_bits=\"12\""));
        }

        @Test
        void rejectsAnotherExtension() {
            assertEquals("the response names extension x-webkit-deflate-frame, not permessage-deflate",
                    rejection("x-webkit-deflate-frame"));
        }

        @Test
        void rejectsUnknownParameter() {
            assertEquals("unknown parameter foo", rejection("permessage-deflate; foo"));
            assertEquals("unknown parameter foo", rejection("permessage-deflate; foo=bar"));
        }

        @Test
        void rejectsDuplicates() {
            assertEquals("parameter server_no_context_takeover appears more than once",
                    rejection("permessage-deflate; server_no_context_takeover; server_no_context_takeover"));
            assertEquals("parameter client_no_context_takeover appears more than once",
                    rejection("permessage-deflate; client_no_context_takeover; client_no_context_takeover"));
            assertEquals("parameter server_max_window_bits appears more than once",
                    rejection("permessage-deflate; server_max_window_bits=10; server_max_window_bits=10"));
        }

        @Test
        void rejectsValueOnFlag() {
            assertEquals("parameter server_no_context_takeover takes no value but has x",
                    rejection("permessage-deflate; server_no_context_takeover=x"));
            assertEquals("parameter client_no_context_takeover takes no value but has 1",
                    rejection("permessage-deflate; client_no_context_takeover=1"));
        }

        @Test
        void rejectsBadServerMaxWindowBits() {
            assertEquals("parameter server_max_window_bits needs a value 8..15",
                    rejection("permessage-deflate; server_max_window_bits"));
            for (String bad : List.of("7", "16", "0", "08", "+9", "-9", "x", "100")) {
                assertEquals("parameter server_max_window_bits must be a window size 8..15, not " + bad,
                        rejection("permessage-deflate; server_max_window_bits=" + bad));
            }
        }

        @Test
        void acceptsTheClientWindowTheServerAsksFor() throws DeflateNegotiationException {
            for (int bits = 8; bits <= 15; bits++) {
                assertEquals(new DeflateParameters(false, false, 15, bits),
                        clientAccepts("permessage-deflate; client_max_window_bits=" + bits));
            }
            // without a value it is malformed in a response (§7.1.2.2)
            assertEquals("parameter client_max_window_bits needs a value 8..15",
                    rejection("permessage-deflate; client_max_window_bits"));
        }
    }

    @Nested
    class Parameters {

        @Test
        void windowBitsRange() {
            assertThrows(IllegalArgumentException.class, () -> new DeflateParameters(false, false, 7, 15));
            assertThrows(IllegalArgumentException.class, () -> new DeflateParameters(false, false, 15, 16));
        }

        @Test
        void extensionForEachRole() {
            DeflateParameters parameters = new DeflateParameters(false, false, 15, 15);
            for (Role role : Role.values()) {
                MessageExtension extension = parameters.newExtension(role, DeflateConfig.DEFAULTS);
                assertEquals(MessageExtension.RSV1, extension.reservedBits());
                extension.release();
            }
        }

        @Test
        void aSmallWindowOnEitherSideMakesAnExtension() {
            for (DeflateParameters parameters : List.of(new DeflateParameters(false, false, 10, 15),
                    new DeflateParameters(false, false, 15, 10))) {
                for (Role role : Role.values()) {
                    parameters.newExtension(role, DeflateConfig.DEFAULTS).release();
                }
            }
        }

        @Test
        void configValidation() {
            assertThrows(IllegalArgumentException.class, () -> DeflateConfig.DEFAULTS.withCompressionLevel(10));
            assertThrows(IllegalArgumentException.class, () -> DeflateConfig.DEFAULTS.withCompressionLevel(-2));
            assertThrows(IllegalArgumentException.class, () -> DeflateConfig.DEFAULTS.withCompressionThreshold(-1));
            assertEquals(9, DeflateConfig.DEFAULTS.withCompressionLevel(9).compressionLevel());
            assertFalse(DeflateConfig.DEFAULTS.serverNoContextTakeover());
            assertTrue(DeflateConfig.DEFAULTS.withServerNoContextTakeover(true).serverNoContextTakeover());
        }
    }
}
