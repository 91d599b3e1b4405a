package io.breakwater.samples.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.samples.chat.JdkMember;
import io.breakwater.samples.chat.ServerMessage;
import io.breakwater.samples.server.ChatServer;
import jakarta.websocket.CloseReason;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The console client in a room with a member on the JDK client: what is typed is said, what is said is
 * printed, and the chat ends when the user leaves or the server goes, whatever the input still holds.
 */
class ChatConsoleTest {

    @Test
    void typedLinesAreSaidAndTheRoomIsPrinted() throws Exception {
        try (ChatServer server = ChatServer.start(0)) {
            JdkMember bob = JdkMember.join(server.port(), "terminal", "bob");
            bob.next(ServerMessage.Welcome.class);
            bob.say("before you came");
            bob.next(ServerMessage.Said.class);

            PipedWriter keyboard = new PipedWriter();
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            CompletableFuture<ChatConsole.Ending> console = join(server, "terminal", "ada lovelace", keyboard, screen);

            assertEquals(List.of("bob", "ada lovelace"), bob.next(ServerMessage.Joined.class).members());
            PrintWriter typing = new PrintWriter(keyboard, true);
            typing.println("hello from the terminal");
            ServerMessage.Said said = bob.next(ServerMessage.Said.class);
            assertEquals("ada lovelace", said.from());
            assertEquals("hello from the terminal", said.text());

            bob.say("welcome, Ada");
            bob.next(ServerMessage.Said.class);
            awaitScreen(screen, "bob: welcome, Ada");

            typing.println("/quit");
            ChatConsole.Ending ending = console.get(10, TimeUnit.SECONDS);
            assertTrue(ending.byUser());
            assertEquals(CloseReason.CloseCodes.NORMAL_CLOSURE, ending.reason().getCloseCode());
            assertEquals("ada lovelace", bob.next(ServerMessage.Left.class).name());
            bob.leave();

            String printed = screen.toString(StandardCharsets.UTF_8);
            assertTrue(printed.startsWith("You are ada lovelace in #terminal. Here: bob, ada lovelace.\n"), printed);
            assertTrue(printed.contains("-- the last 1 messages --"), printed);
            assertTrue(printed.matches("(?s).*\\[\\d\\d:\\d\\d] bob: before you came\n-- now --\n.*"), printed);
            assertTrue(printed.contains("] ada lovelace: hello from the terminal\n"), printed);
            assertTrue(printed.contains("-- now --\n" + ConsoleView.HOW_TO_LEAVE + "\n"), printed);
            assertEquals("(Type a line and press Enter to say it; /quit or Ctrl-D leaves.)", ConsoleView.HOW_TO_LEAVE);
            assertFalse(printed.contains("! "), "leaving is not an error: " + printed);
        }
    }

    @Test
    void theEndOfTheInputLeavesTheRoom() throws Exception {
        try (ChatServer server = ChatServer.start(0)) {
            JdkMember bob = JdkMember.join(server.port(), "ctrl-d", "bob");
            bob.next(ServerMessage.Welcome.class);
            PipedWriter keyboard = new PipedWriter();
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            CompletableFuture<ChatConsole.Ending> console = join(server, "ctrl-d", "ada", keyboard, screen);
            assertEquals("ada", bob.next(ServerMessage.Joined.class).name());

            keyboard.close(); // what Ctrl-D does to a terminal's input
            assertTrue(console.get(10, TimeUnit.SECONDS).byUser());
            assertEquals("ada", bob.next(ServerMessage.Left.class).name());
            bob.leave();
        }
    }

    @Test
    void aServerThatStopsEndsTheChatAtOnceAndTheConsoleSaysWhy() throws Exception {
        PipedWriter keyboard = new PipedWriter();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        CompletableFuture<ChatConsole.Ending> console;
        try (ChatServer server = ChatServer.start(0)) {
            console = join(server, "closing", "ada", keyboard, screen);
            awaitScreen(screen, ConsoleView.HOW_TO_LEAVE);
        }
        // Nothing is typed and the input stays open: the console must not wait for a line.
        ChatConsole.Ending ending = console.get(20, TimeUnit.SECONDS);
        assertFalse(ending.byUser());
        assertEquals(CloseReason.CloseCodes.GOING_AWAY, ending.reason().getCloseCode());
        String printed = screen.toString(StandardCharsets.UTF_8);
        assertTrue(printed.endsWith("\n! The server ended the chat: 1001 going away (server shutting down).\n"),
                printed);
        keyboard.close();
    }

    /** Starts the console in room {@code room} as {@code name}, typing from {@code keyboard} onto {@code screen}. */
    private static CompletableFuture<ChatConsole.Ending> join(ChatServer server, String room, String name,
            PipedWriter keyboard, ByteArrayOutputStream screen) throws IOException {
        BufferedReader input = new BufferedReader(new PipedReader(keyboard));
        PrintStream output = new PrintStream(screen, true, StandardCharsets.UTF_8);
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/chat/" + room);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ChatConsole.chat(uri, name, input, output);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void awaitScreen(ByteArrayOutputStream screen, String expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!screen.toString(StandardCharsets.UTF_8).contains(expected)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the console did not print \"" + expected + "\" within 10 s; it printed:\n"
                        + screen.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(20);
        }
    }
}
