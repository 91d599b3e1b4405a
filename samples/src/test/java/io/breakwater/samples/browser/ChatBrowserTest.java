package io.breakwater.samples.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.samples.server.ChatServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two people chat in headless Chromium, each in a browser of their own, through the page the server
 * serves and the browser's own WebSocket, which offers permessage-deflate.
 *
 * <p>It needs a Chromium and its chromedriver, found as {@link ChromiumInstallation} says ({@code CHROME_BIN}
 * and {@code CHROMEDRIVER} name them); {@code ./test} installs Debian's {@code chromium} and
 * {@code chromium-driver} when it can. Without them it fails and says so: a browser test that skips itself
 * quietly proves nothing.
 *
 * <p>When the server stops and comes back, each page says why it lost its connection, shows nobody as
 * present meanwhile, and rejoins the room by itself (on an embedded server of that test's own, which it
 * can stop and start).
 *
 * <p>It starts the embedded server, or, given {@code -Dbreakwater.chat.url=http://host:port/context/},
 * uses the chat deployed there (the WAR in a stock Jetty or Tomcat).
 */
class ChatBrowserTest {

    private static ChatServer server;
    private static URI chat;

    @BeforeAll
    static void start() throws Exception {
        // Fails the whole class at once, saying what to install, rather than each test on its first page.
        ChromiumInstallation.find(System.getenv());
        String deployed = System.getProperty("breakwater.chat.url", "");
        if (deployed.isBlank()) {
            server = ChatServer.start(0);
            chat = server.pageUri();
        } else {
            chat = URI.create(deployed.endsWith("/") ? deployed : deployed + "/");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void twoUsersChatBothWaysAndSeeEachOtherComeAndGo(@TempDir Path profiles) {
        TwoBrowserUsers.chatBothWaysAndSeeEachOtherComeAndGo(chat, profiles);
    }

    @Test
    void afterARestartThePagesRejoinTheRoomAndShowItsMembersAgain(@TempDir Path profiles) throws Exception {
        // A server of its own, stopped and started again on the same port, whatever -Dbreakwater.chat.url says.
        ChatServer restarted = ChatServer.start(0);
        int port = restarted.port();
        String room = "harbour-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        URI harbour = restarted.pageUri().resolve("?room=" + room);
        try (ChatPage alice = ChatPage.open(harbour, profiles.resolve("alice"));
                ChatPage bob = ChatPage.open(harbour, profiles.resolve("bob"))) {
            alice.join("Alice");
            alice.awaitShows("Alice's status", alice::status, "Connected as Alice");
            bob.join("Bob");
            bob.awaitShows("Bob's status", bob::status, "Connected as Bob");
            alice.sayWithEnter("before the restart");
            bob.awaitShows("Bob's last line", bob::lastLine, "Alice: before the restart");

            restarted.close();
            String lost = "Connection closed by the server (code 1001 going away: server shutting down)";
            for (ChatPage page : List.of(alice, bob)) {
                page.awaitShows("the members of a page that lost its connection", page::members, List.of());
                page.awaitShows("the last line of a page that lost its connection", page::lastLine, lost);
                // The first attempt to reconnect, a second later, finds no server.
                page.awaitThat("the status while the server is down", page::status,
                        status -> status.startsWith("Could not connect to the server (handshake failed or server"
                                + " unreachable); retrying in "), "that it could not connect and will retry");
                assertFalse(page.canSend(), "Send should be disabled while not connected");
            }

            restarted = ChatServer.start(port);
            alice.awaitShows("Alice's status", alice::status, "Connected as Alice");
            bob.awaitShows("Bob's status", bob::status, "Connected as Bob");
            // Who comes back first is the backoff's chance: the order of the list is not the test's.
            alice.awaitShows("Alice's members", () -> sorted(alice.members()), List.of("Alice", "Bob"));
            bob.awaitShows("Bob's members", () -> sorted(bob.members()), List.of("Alice", "Bob"));
            assertTrue(alice.conversation().contains("Reconnected"), alice.conversation()::toString);

            bob.sayWithButton("after the restart");
            alice.awaitShows("Alice's last line", alice::lastLine, "Bob: after the restart");
            // The rejoin's history had nothing Alice had not seen: no line twice.
            assertEquals(1, alice.conversation().stream().filter("Alice: before the restart"::equals).count(),
                    alice.conversation()::toString);
        } finally {
            restarted.close();
        }
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }
}
