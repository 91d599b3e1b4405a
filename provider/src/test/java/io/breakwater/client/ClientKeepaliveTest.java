package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.api.Keepalive;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Breakwater's client pings a server it hears nothing from, and gives up on one that never answers: against
 * a raw server on loopback that completes the handshake and then reads without ever writing.
 */
@Timeout(60)
class ClientKeepaliveTest {

    private static final BreakwaterClientContainer container = new BreakwaterClientContainer();

    @AfterAll
    static void stop() {
        container.close();
    }

    /** A frame the client sent: opcode and unmasked payload (RFC 6455 §5.3). */
    private record ClientFrame(int opcode, byte[] payload) {
    }

    /** The client's frames in {@code bytes}, each masked, with payloads under 126 bytes. */
    private static List<ClientFrame> frames(byte[] bytes) {
        List<ClientFrame> frames = new ArrayList<>();
        int at = 0;
        while (at + 6 <= bytes.length) {
            int opcode = bytes[at] & 0x0F;
            int length = bytes[at + 1] & 0x7F;
            byte[] payload = new byte[length];
            for (int i = 0; i < length; i++) {
                payload[i] = (byte) (bytes[at + 6 + i] ^ bytes[at + 2 + (i % 4)]);
            }
            frames.add(new ClientFrame(opcode, payload));
            at += 6 + length;
        }
        return frames;
    }

    private static void assertPingedThenClosedWith1001(RawServer server, RecordingClient client) throws Exception {
        assertEquals("open", client.next());
        server.clientGone.get(30, TimeUnit.SECONDS); // the close timeout ends it: the server never closes TCP
        List<ClientFrame> sent = frames(server.received.toByteArray());
        assertEquals(2, sent.size(), "a ping and a close");
        assertEquals(0x9, sent.get(0).opcode());
        assertEquals("breakwater-keepalive", new String(sent.get(0).payload(), StandardCharsets.US_ASCII));
        assertEquals(0x8, sent.get(1).opcode());
        byte[] close = sent.get(1).payload();
        assertEquals(1001, ((close[0] & 0xFF) << 8) | (close[1] & 0xFF));
        String closed = client.nextNotError();
        assertTrue(closed.startsWith("close:1006:") && closed.contains("keepalive"), closed);
    }

    @Test
    void anEndpointsUserPropertiesSetItsKeepalive() throws Exception {
        try (RawServer server = new RawServer(key -> RawServer.switching(key, ""))) {
            ClientEndpointConfig config = ClientEndpointConfig.Builder.create().build();
            config.getUserProperties().put(Keepalive.INTERVAL_PROPERTY, 300);
            config.getUserProperties().put(Keepalive.TIMEOUT_PROPERTY, "500");
            RecordingClient client = new RecordingClient();
            container.connectToServer(client, config, server.uri("/"));
            assertPingedThenClosedWith1001(server, client);
        }
    }

    @Test
    void theContainersDefaultKeepaliveAppliesToItsSessions() throws Exception {
        try (BreakwaterClientContainer own = new BreakwaterClientContainer();
             RawServer server = new RawServer(key -> RawServer.switching(key, ""))) {
            assertEquals(Keepalive.DEFAULT, own.getDefaultKeepalive());
            own.setDefaultKeepalive(new Keepalive(300, 500));
            RecordingClient client = new RecordingClient();
            own.connectToServer(client, ClientEndpointConfig.Builder.create().build(), server.uri("/"));
            assertPingedThenClosedWith1001(server, client);
        }
    }

    @Test
    void aKeepaliveThatIsNotANumberFailsTheConnect() throws Exception {
        try (RawServer server = new RawServer(key -> RawServer.switching(key, ""))) {
            ClientEndpointConfig config = ClientEndpointConfig.Builder.create().build();
            config.getUserProperties().put(Keepalive.INTERVAL_PROPERTY, "often");
            DeploymentException refused = assertThrows(DeploymentException.class,
                    () -> container.connectToServer(new RecordingClient(), config, server.uri("/")));
            assertTrue(refused.getMessage().contains(Keepalive.INTERVAL_PROPERTY), refused.getMessage());
        }
    }
}
