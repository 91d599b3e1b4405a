package io.breakwater.samples.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Two people chat through the page of a running chat application, each in a headless Chromium of their own,
 * whichever server serves it: the embedded Jetty of {@code ChatBrowserTest}, a deployed WAR, or the Spring Boot
 * sample ({@code samples/spring-boot-chat}, through this module's test-jar). The browser and its driver are
 * found as {@link ChromiumInstallation} says; without them the first page fails to open, saying what to install.
 */
public final class TwoBrowserUsers {

    private TwoBrowserUsers() {
    }

    /**
     * Alice and Bob open the page at {@code chat} (ending in /) in a room of their own, with browser profiles in
     * {@code profiles}; they talk both ways with permessage-deflate, see each other come and go, and Bob, back in
     * the room, finds what was said.
     */
    public static void chatBothWaysAndSeeEachOtherComeAndGo(URI chat, Path profiles) {
        // A room of its own, empty even on a server that has run this test before.
        String room = "kitchen-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        URI kitchen = chat.resolve("?room=" + room);
        try (ChatPage alice = ChatPage.open(kitchen, profiles.resolve("alice"));
                ChatPage bob = ChatPage.open(kitchen, profiles.resolve("bob"))) {
            assertEquals(room, alice.roomField());

            alice.join("Alice");
            alice.awaitShows("Alice's status", alice::status, "Connected as Alice");
            alice.awaitShows("Alice's members", alice::members, List.of("Alice"));
            // The server's Session.getNegotiatedExtensions(), shown on the badge; the browser's own
            // view of the handshake is its title.
            assertEquals("permessage-deflate", alice.compressionBadge().getText());
            String browserView = alice.compressionBadge().getDomAttribute("title");
            assertTrue(browserView.startsWith("Sec-WebSocket-Extensions: permessage-deflate"), browserView);

            bob.join("Bob");
            bob.awaitShows("Bob's status", bob::status, "Connected as Bob");
            bob.awaitShows("Bob's members", bob::members, List.of("Alice", "Bob"));
            assertEquals("permessage-deflate", bob.compressionBadge().getText());
            alice.awaitShows("Alice's members", alice::members, List.of("Alice", "Bob"));
            alice.awaitShows("Alice's conversation", alice::conversation, List.of("Bob joined"));

            alice.sayWithEnter("Hello Bob! Ça va ? 🌊");
            List<String> afterAlice = List.of("Bob joined", "Alice: Hello Bob! Ça va ? 🌊");
            alice.awaitShows("Alice's conversation", alice::conversation, afterAlice);
            bob.awaitShows("Bob's conversation", bob::conversation, afterAlice.subList(1, 2));

            bob.sayWithButton("<b>Hi</b> Alice");
            alice.awaitShows("Alice's conversation", alice::conversation,
                    List.of("Bob joined", "Alice: Hello Bob! Ça va ? 🌊", "Bob: <b>Hi</b> Alice"));
            bob.awaitShows("Bob's conversation", bob::conversation,
                    List.of("Alice: Hello Bob! Ça va ? 🌊", "Bob: <b>Hi</b> Alice"));
            assertEquals(0, alice.elementsInsideMessageTexts(), "markup in a message became elements");

            bob.leave();
            alice.awaitShows("Alice's members", alice::members, List.of("Alice"));
            alice.awaitShows("Alice's last line", alice::lastLine, "Bob left");

            // Back in the room, Bob finds what was said before.
            bob.join("Bob");
            bob.awaitShows("Bob's history", bob::history,
                    List.of("Alice: Hello Bob! Ça va ? 🌊", "Bob: <b>Hi</b> Alice"));
            alice.awaitShows("Alice's members", alice::members, List.of("Alice", "Bob"));
        }
    }
}
