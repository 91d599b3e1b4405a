package io.breakwater.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.breakwater.deflate.DeflateConfig;
import io.breakwater.deflate.DeflateNegotiation;
import io.breakwater.deflate.DeflateNegotiationException;
import io.breakwater.deflate.DeflateParameters;
import io.breakwater.handshake.ExtensionHeader;
import io.breakwater.handshake.ExtensionSpec;
import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.ProtocolException;
import io.breakwater.protocol.Role;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * What must hold whenever our server answers a client's permessage-deflate offers, whatever they are:
 * an offer without parameters is always acceptable; the answer, written into the header and read
 * back, is accepted by our own client with the same parameters; and the two extensions built from
 * those parameters understand each other's messages, both ways, across several messages (so that
 * context takeover is agreed, not just declared).
 */
final class ServerNegotiationCheck {

    private static final List<String> MESSAGES = List.of(
            "a message, and then a message", "a message, and then a message", "", "another message");

    private ServerNegotiationCheck() {
    }

    /** Negotiates as a server over {@code offers} and checks the outcome; returns the response, if any. */
    static Optional<ExtensionSpec> check(List<ExtensionSpec> offers, DeflateConfig serverConfig) {
        Optional<DeflateNegotiation.Agreement> agreement = DeflateNegotiation.negotiateAsServer(offers, serverConfig);
        boolean bareOffer = offers.stream().anyMatch(offer ->
                offer.name().equalsIgnoreCase(DeflateNegotiation.EXTENSION_NAME) && offer.parameters().isEmpty());
        if (bareOffer) {
            assertTrue(agreement.isPresent(), "a plain permessage-deflate offer was declined: " + offers);
        }
        if (agreement.isEmpty()) {
            return Optional.empty();
        }
        ExtensionSpec response = agreement.get().response();
        assertEquals(DeflateNegotiation.EXTENSION_NAME, response.name());
        List<ExtensionSpec> reread = ExtensionHeader.parse(ExtensionHeader.format(List.of(response)));
        assertEquals(List.of(response), reread, "the response header read back");

        DeflateConfig clientConfig = DeflateConfig.DEFAULTS;
        DeflateParameters client;
        try {
            client = DeflateNegotiation.negotiateAsClient(reread.get(0), clientConfig);
        } catch (DeflateNegotiationException e) {
            throw new AssertionError("our client refuses our server's answer " + response + " to " + offers, e);
        }
        DeflateParameters server = agreement.get().parameters();
        assertEquals(server.serverNoContextTakeover(), client.serverNoContextTakeover(), "server_no_context_takeover");
        assertEquals(server.clientNoContextTakeover(), client.clientNoContextTakeover(), "client_no_context_takeover");
        assertEquals(server.serverMaxWindowBits(), client.serverMaxWindowBits(), "server_max_window_bits");

        MessageExtension serverSide = server.newExtension(Role.SERVER, serverConfig);
        MessageExtension clientSide = client.newExtension(Role.CLIENT, clientConfig);
        try {
            for (String message : MESSAGES) {
                assertEquals(message, roundTrip(message, serverSide, clientSide), "server to client");
                assertEquals(message, roundTrip(message, clientSide, serverSide), "client to server");
            }
        } finally {
            serverSide.release();
            clientSide.release();
        }
        return Optional.of(response);
    }

    private static String roundTrip(String message, MessageExtension sender, MessageExtension receiver) {
        ByteBuffer payload = ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8));
        int rsv = sender.encodingFor(payload, true);
        if (rsv == 0) {
            return message;
        }
        ByteBuffer encoded = sender.encode(payload, true);
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        try {
            receiver.decode(rsv, encoded, true, piece -> decoded.writeBytes(Bytes.of(piece).value()));
        } catch (ProtocolException e) {
            fail("a message compressed by one end does not inflate at the other: " + e.getMessage());
        }
        return decoded.toString(StandardCharsets.UTF_8);
    }
}
