package io.breakwater.samples.console;

import io.breakwater.samples.chat.ClientMessage;
import io.breakwater.samples.chat.ClientMessageEncoder;
import io.breakwater.samples.chat.ServerMessage;
import io.breakwater.samples.chat.ServerMessageDecoder;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Joins a chat room from the terminal: every line typed is said in the room, and what the room says is
 * printed. {@code /quit} or the end of the input (Ctrl-D) leaves; when the server ends the chat, the
 * console says why and exits at once, without waiting for a last line.
 *
 * <pre>ChatConsole [ws://localhost:8080/chat/lobby] [name]</pre>
 *
 * <p>It exits with status 0 when the user left, 1 when the server could not be joined or ended the chat.
 * It uses nothing but the Jakarta WebSocket client API: {@code ContainerProvider} finds Breakwater's
 * client container on the class path.
 */
public final class ChatConsole {

    private static final URI DEFAULT_ROOM = URI.create("ws://localhost:8080/chat/lobby");
    private static final String QUIT = "/quit";

    private ChatConsole() {
    }

    public static void main(String[] args) throws Exception {
        URI room = args.length > 0 ? URI.create(args[0]) : DEFAULT_ROOM;
        String name = args.length > 1 ? args[1] : System.getProperty("user.name", "guest");
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Ending ending;
        try {
            ending = chat(room, name, input, System.out);
        } catch (DeploymentException | IOException e) {
            System.err.println("Could not join " + room + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        // The client container's threads live as long as the JVM, and the thread reading the terminal
        // may still wait for a line; the chat is over, so is the JVM (also under exec:java, which would
        // otherwise wait for them).
        System.exit(ending.byUser() ? 0 : 1);
    }

    /**
     * How a chat ended.
     *
     * @param byUser true when the user left ({@code /quit} or the end of the input), false when the
     *               server or the network ended it
     * @param reason the close code and reason the session was closed with
     */
    public record Ending(boolean byUser, CloseReason reason) {
    }

    /**
     * Joins {@code room} as {@code name}, says each line of {@code input} and prints the room to {@code output},
     * until the user leaves or the connection closes; then returns, whether or not {@code input} has more.
     */
    public static Ending chat(URI room, String name, BufferedReader input, PrintStream output)
            throws DeploymentException, IOException {
        WebSocketContainer container = ContainerProvider.getWebSocketContainer();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .encoders(List.of(ClientMessageEncoder.class))
                .decoders(List.of(ServerMessageDecoder.class))
                // Offering every installed extension offers permessage-deflate.
                .extensions(List.copyOf(container.getInstalledExtensions()))
                .build();
        URI withName = URI.create(room + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        Member member = new Member(output);
        try (Session session = container.connectToServer(member, config, withName)) {
            // A read from a terminal cannot be interrupted, so lines are read on a thread of their own and
            // this one waits for the close, whoever starts it: a server that stops ends the chat at once.
            Thread typing = new Thread(() -> sayTypedLines(input, session, member), "chat-console-input");
            typing.setDaemon(true);
            typing.start();
            CloseReason reason = member.closed.join();
            boolean byUser = member.leaving;
            if (!byUser) {
                output.println(member.view.disconnected(reason));
            }
            return new Ending(byUser, reason);
        }
    }

    /** Says each line typed until {@code /quit} or the end of the input, then leaves the room. */
    private static void sayTypedLines(BufferedReader input, Session session, Member member) {
        try {
            String line;
            while ((line = input.readLine()) != null && !line.strip().equals(QUIT) && session.isOpen()) {
                if (!line.isBlank()) {
                    say(session, line, member.output);
                }
            }
        } catch (IOException unreadable) {
            member.output.println("! could not read the input (" + unreadable.getMessage() + "); leaving");
        }
        if (session.isOpen()) {
            member.leaving = true;
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "left"));
            } catch (IOException alreadyGone) {
                // onClose reports how the connection ended.
            }
        }
    }

    private static void say(Session session, String line, PrintStream output) {
        try {
            session.getBasicRemote().sendObject(new ClientMessage(line));
        } catch (IOException | IllegalStateException e) {
            // Closed meanwhile: onClose says why. Otherwise the line is lost, and the user should know.
            if (session.isOpen()) {
                output.println("! not sent (" + e.getMessage() + "): " + line);
            }
        } catch (EncodeException e) {
            output.println("! not sent, it could not be encoded (" + e.getMessage() + "): " + line);
        }
    }

    /** Prints what the room sends, and tells {@link #chat} when the connection has closed. */
    private static final class Member extends Endpoint {
        private final PrintStream output;
        private final ConsoleView view = new ConsoleView(ZoneId.systemDefault());
        private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
        /** Set before the console closes the session, so that the close is not reported as the server's. */
        private volatile boolean leaving;

        Member(PrintStream output) {
            this.output = output;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(ServerMessage.class,
                    (MessageHandler.Whole<ServerMessage>) message -> view.lines(message).forEach(output::println));
        }

        @Override
        public void onError(Session session, Throwable error) {
            output.println("! " + error);
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            closed.complete(reason);
        }
    }
}
