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

/**
 * Joins a chat room from the terminal: every line typed is said in the room, and what the room says is
 * printed. An empty input (Ctrl-D) or {@code /quit} leaves.
 *
 * <pre>ChatConsole [ws://localhost:8080/chat/lobby] [name]</pre>
 *
 * <p>It uses nothing but the Jakarta WebSocket client API: {@code ContainerProvider} finds Breakwater's
 * client container on the class path.
 */
public final class ChatConsole {

    private static final URI DEFAULT_ROOM = URI.create("ws://localhost:8080/chat/lobby");

    private ChatConsole() {
    }

    public static void main(String[] args) throws Exception {
        URI room = args.length > 0 ? URI.create(args[0]) : DEFAULT_ROOM;
        String name = args.length > 1 ? args[1] : System.getProperty("user.name", "guest");
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            chat(room, name, input, System.out);
        } catch (DeploymentException | IOException e) {
            System.err.println("Could not join " + room + ": " + e.getMessage());
            System.exit(1);
        }
        // The client container's threads live as long as the JVM; the chat is over, so is the JVM
        // (also under exec:java, which would otherwise wait for them).
        System.exit(0);
    }

    /** Joins {@code room} as {@code name}, says each line of {@code input} and prints the room to {@code output}. */
    public static void chat(URI room, String name, BufferedReader input, PrintStream output)
            throws DeploymentException, IOException {
        WebSocketContainer container = ContainerProvider.getWebSocketContainer();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .encoders(List.of(ClientMessageEncoder.class))
                .decoders(List.of(ServerMessageDecoder.class))
                // Offering every installed extension offers permessage-deflate.
                .extensions(List.copyOf(container.getInstalledExtensions()))
                .build();
        URI withName = URI.create(room + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        try (Session session = container.connectToServer(new Member(output), config, withName)) {
            String line;
            while ((line = input.readLine()) != null && !line.strip().equals("/quit") && session.isOpen()) {
                if (!line.isBlank()) {
                    session.getBasicRemote().sendObject(new ClientMessage(line));
                }
            }
        } catch (EncodeException e) {
            throw new IllegalStateException("a chat line could not be encoded", e);
        }
    }

    /** Prints what the room sends. */
    private static final class Member extends Endpoint {
        private final PrintStream output;
        private final ConsoleView view = new ConsoleView(ZoneId.systemDefault());

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
            if (reason.getCloseCode() != CloseReason.CloseCodes.NORMAL_CLOSURE) {
                output.println("! disconnected: " + reason.getCloseCode().getCode()
                        + (reason.getReasonPhrase().isEmpty() ? "" : " " + reason.getReasonPhrase()));
            }
        }
    }
}
