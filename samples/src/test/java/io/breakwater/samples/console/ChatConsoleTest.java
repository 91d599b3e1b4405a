package io.breakwater.samples.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.samples.chat.JdkMember;
import io.breakwater.samples.chat.ServerMessage;
import io.breakwater.samples.server.ChatServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
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

/** The console client in a room with a member on the JDK client: what is typed is said, what is said is printed. */
class ChatConsoleTest {

    @Test
    void typedLinesAreSaidAndTheRoomIsPrinted() throws Exception {
        try (ChatServer server = ChatServer.start(0)) {
            JdkMember bob = JdkMember.join(server.port(), "terminal", "bob");
            bob.next(ServerMessage.Welcome.class);
            bob.say("before you came");
            bob.next(ServerMessage.Said.class);

            PipedWriter keyboard = new PipedWriter();
            BufferedReader input = new BufferedReader(new PipedReader(keyboard));
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            PrintStream output = new PrintStream(screen, true, StandardCharsets.UTF_8);
            CompletableFuture<Void> console = CompletableFuture.runAsync(() -> {
                try {
                    ChatConsole.chat(URI.create("ws://127.0.0.1:" + server.port() + "/chat/terminal"), "ada lovelace",
                            input, output);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

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
            console.get(10, TimeUnit.SECONDS);
            assertEquals("ada lovelace", bob.next(ServerMessage.Left.class).name());
            bob.leave();

            String printed = screen.toString(StandardCharsets.UTF_8);
            assertTrue(printed.startsWith("You are ada lovelace in #terminal. Here: bob, ada lovelace.\n"), printed);
            assertTrue(printed.contains("-- the last 1 messages --"), printed);
            assertTrue(printed.matches("(?s).*\\[\\d\\d:\\d\\d] bob: before you came\n-- now --\n.*"), printed);
            assertTrue(printed.contains("] ada lovelace: hello from the terminal\n"), printed);
        }
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
