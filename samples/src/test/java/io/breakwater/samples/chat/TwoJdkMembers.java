package io.breakwater.samples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;

/**
 * Two members on the JDK's WebSocket client chat in one room of a running chat application, whichever server
 * carries it: the embedded Jetty of {@code ChatOverJdkClientTest}, or the Spring Boot sample
 * ({@code samples/spring-boot-chat}, through this module's test-jar).
 */
public final class TwoJdkMembers {

    private TwoJdkMembers() {
    }

    /**
     * Alice and Bob join {@code room} (which must be empty) of the application at {@code application} (a
     * {@code ws:} URI ending in /), each hears the other's line and their own, and Alice sees Bob come and go.
     */
    public static void talkBothWaysAndSeeEachOtherComeAndGo(URI application, String room) throws Exception {
        JdkMember alice = JdkMember.join(application, room, "alice");
        ServerMessage.Welcome aliceWelcome = alice.next(ServerMessage.Welcome.class);
        assertEquals(room, aliceWelcome.room());
        assertEquals("alice", aliceWelcome.you());
        assertEquals(List.of("alice"), aliceWelcome.members());
        assertEquals(List.of(), aliceWelcome.history());

        JdkMember bob = JdkMember.join(application, room, "bob");
        assertEquals(List.of("alice", "bob"), bob.next(ServerMessage.Welcome.class).members());
        assertEquals(new ServerMessage.Joined("bob", List.of("alice", "bob")), alice.next());

        alice.say("Hello Bob, ça va ? 🌊");
        for (JdkMember member : List.of(alice, bob)) {
            ServerMessage.Said said = member.next(ServerMessage.Said.class);
            assertEquals("alice", said.from());
            assertEquals("Hello Bob, ça va ? 🌊", said.text());
        }
        bob.say("Hi Alice");
        for (JdkMember member : List.of(alice, bob)) {
            ServerMessage.Said said = member.next(ServerMessage.Said.class);
            assertEquals("bob", said.from());
            assertEquals("Hi Alice", said.text());
        }

        assertEquals(1000, bob.leave());
        assertEquals(new ServerMessage.Left("bob", List.of("alice")), alice.next());
        alice.leave();
    }
}
