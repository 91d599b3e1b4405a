package io.breakwater.samples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire format: what the page's JavaScript reads and writes. */
class ChatJsonTest {

    private static final Instant NOON = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void everyServerMessageHasTheFormThePageReads() {
        ServerMessage.Said said = new ServerMessage.Said("ann", "hi \"you\"", NOON);
        assertEquals("{\"type\":\"message\",\"from\":\"ann\",\"text\":\"hi \\\"you\\\"\",\"time\":\"2026-11-24T12:00:00Z\"}",
                ChatJson.write(said));
        assertEquals("{\"type\":\"welcome\",\"room\":\"r\",\"you\":\"ann\",\"members\":[\"ann\"],\"history\":["
                + ChatJson.write(said) + "],\"extensions\":[\"permessage-deflate\"]}",
                ChatJson.write(new ServerMessage.Welcome("r", "ann", List.of("ann"), List.of(said),
                        List.of("permessage-deflate"))));
        assertEquals("{\"type\":\"joined\",\"name\":\"bo\",\"members\":[\"ann\",\"bo\"]}",
                ChatJson.write(new ServerMessage.Joined("bo", List.of("ann", "bo"))));
        assertEquals("{\"type\":\"left\",\"name\":\"bo\",\"members\":[\"ann\"]}",
                ChatJson.write(new ServerMessage.Left("bo", List.of("ann"))));
        assertEquals("{\"type\":\"refused\",\"reason\":\"no\"}", ChatJson.write(new ServerMessage.Refused("no")));
    }

    @Test
    void serverMessagesReadBackAsWritten() {
        ServerMessage.Said said = new ServerMessage.Said("ann", "ünïcode ✓", NOON);
        for (ServerMessage message : List.of(said,
                new ServerMessage.Welcome("r", "ann", List.of("ann", "bo"), List.of(said), List.of()),
                new ServerMessage.Joined("bo", List.of("ann", "bo")), new ServerMessage.Left("bo", List.of("ann")),
                new ServerMessage.Refused("no"))) {
            assertEquals(message, ChatJson.readServerMessage(ChatJson.write(message)));
        }
    }

    @Test
    void aClientMessageIsASay() {
        assertEquals("{\"type\":\"say\",\"text\":\"hello\"}", ChatJson.write(new ClientMessage("hello")));
        assertEquals(new ClientMessage("hello"), ChatJson.readClientMessage("{\"text\":\"hello\",\"type\":\"say\"}"));
    }

    @Test
    void malformedMessagesSayWhatIsWrong() {
        assertEquals("\"text\" must be a string", assertThrows(IllegalArgumentException.class,
                () -> ChatJson.readClientMessage("{\"type\":\"say\",\"text\":5}")).getMessage());
        assertEquals("\"type\" must be a string", assertThrows(IllegalArgumentException.class,
                () -> ChatJson.readClientMessage("{}")).getMessage());
        assertEquals("unknown message type \"shout\"", assertThrows(IllegalArgumentException.class,
                () -> ChatJson.readClientMessage("{\"type\":\"shout\",\"text\":\"x\"}")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChatJson.readClientMessage("[1, 2]"));
        assertThrows(IllegalArgumentException.class, () -> ChatJson.readClientMessage("{\"type\":"));
    }
}
