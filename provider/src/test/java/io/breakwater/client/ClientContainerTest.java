package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.testing.OpenSessions;
import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client container against a server on Breakwater's transport, and that server against the JDK's client, over loopback. */
class ClientContainerTest {

    private TestServer server;
    private final WebSocketContainer container = ContainerProvider.getWebSocketContainer();

    @BeforeEach
    void start() throws Exception {
        ServerEndpointConfig chat = ServerEndpointConfig.Builder.create(Echo.class, "/chat")
                .subprotocols(List.of("chat", "superchat")).build();
        server = TestServer.start(Echo.class, Ordered.class, chat);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theContainerProviderFindsBreakwater() {
        assertInstanceOf(BreakwaterClientContainer.class, container);
    }

    @Test
    void programmaticClientExchangesMessagesWithAnAnnotatedServer() throws Exception {
        Recorder client = new Recorder();
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                server.uri("/echo/lobby?user=ann"));
        assertEquals("open", client.next());
        session.getBasicRemote().sendText("hello");
        assertEquals("text:lobby:hello", client.next());
        session.getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertEquals("binary:3", client.next());
        session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "done"));
        assertEquals("close:1000:done", client.next());
        assertTrue(OpenSessions.closedWithinTenSeconds(session));
    }

    @Test
    void annotatedClientConnects() throws Exception {
        AnnotatedClient client = new AnnotatedClient();
        Session session = container.connectToServer(client, server.uri("/echo/room1"));
        assertEquals("open", client.events.poll(10, TimeUnit.SECONDS));
        session.getAsyncRemote().sendText("hi").get(5, TimeUnit.SECONDS);
        assertEquals("room1:hi", client.events.poll(10, TimeUnit.SECONDS));
        session.close();
        assertEquals("close:1000", client.events.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void theJdkClientTalksToTheServer() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(server.uri("/echo/jdk"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            received.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        received.add("close:" + statusCode);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("κόσμε", true).get(5, TimeUnit.SECONDS);
        assertEquals("jdk:κόσμε", received.poll(10, TimeUnit.SECONDS));
        socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        assertEquals("close:1000", received.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aRefusedHandshakeIsADeploymentExceptionWithTheStatus() {
        DeploymentException refused = assertThrows(DeploymentException.class,
                () -> container.connectToServer(new Recorder(), ClientEndpointConfig.Builder.create().build(),
                        server.uri("/nowhere")));
        assertTrue(refused.getMessage().contains("404"), refused.getMessage());
    }

    @Test
    void aClosedPortIsAnIOException() throws Exception {
        int port;
        try (ServerSocket unused = new ServerSocket(0)) {
            port = unused.getLocalPort();
        }
        assertThrows(IOException.class, () -> container.connectToServer(new Recorder(),
                ClientEndpointConfig.Builder.create().build(), URI.create("ws://127.0.0.1:" + port + "/")));
    }

    @Test
    void theSubprotocolIsTheClientsFirstChoiceThatTheServerSupports() throws Exception {
        Session session = container.connectToServer(new Recorder(), ClientEndpointConfig.Builder.create()
                .preferredSubprotocols(List.of("superchat", "chat")).build(), server.uri("/chat"));
        assertEquals("superchat", session.getNegotiatedSubprotocol());
        session.close();
    }

    @Test
    void permessageDeflateIsNegotiatedWhenAsked() throws Exception {
        Recorder client = new Recorder();
        Extension deflate = container.getInstalledExtensions().iterator().next();
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create()
                .extensions(List.of(deflate)).build(), server.uri("/echo/zip"));
        assertEquals("permessage-deflate", session.getNegotiatedExtensions().get(0).getName());
        assertEquals("open", client.next());
        String text = "{\"user\":\"ann\",\"text\":\"hello\"}".repeat(1000);
        session.getBasicRemote().sendText(text);
        assertEquals("text:zip:" + text, client.next());
        session.close();
    }

    @Test
    void sendersOnManyThreadsKeepTheirOrderOverTheWire() throws Exception {
        int threads = 4;
        int perThread = 10_000;
        Session session = container.connectToServer(new Recorder(), ClientEndpointConfig.Builder.create().build(),
                server.uri("/ordered"));
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int sender = t;
                running.add(senders.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        session.getBasicRemote().sendText(sender + ":" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> sender : running) {
                sender.get(60, TimeUnit.SECONDS);
            }
            session.getBasicRemote().sendText("end");
            assertEquals("ok " + threads * perThread, Ordered.results.poll(30, TimeUnit.SECONDS));
        } finally {
            senders.shutdownNow();
            session.close();
        }
    }

    // ------------------------------------------------------------------------------------------------

    @ServerEndpoint("/echo/{room}")
    public static class Echo {
        @OnMessage
        public String text(String message, @PathParam("room") String room) {
            return room + ":" + message;
        }

        @OnMessage
        public ByteBuffer binary(ByteBuffer data) {
            return data;
        }

        @OnOpen
        public void open(Session session) {
            session.setMaxTextMessageBufferSize(1 << 20);
        }
    }

    /** Checks that each sender's messages arrive in order, and reports the count on "end". */
    @ServerEndpoint("/ordered")
    public static class Ordered {
        static final BlockingQueue<String> results = new LinkedBlockingQueue<>();
        private final Map<String, Integer> next = new ConcurrentHashMap<>();
        private int count;
        private String problem;

        @OnMessage
        public void message(String message) {
            if (message.equals("end")) {
                results.add(problem != null ? problem : "ok " + count);
                return;
            }
            String[] fields = message.split(":");
            int expected = next.getOrDefault(fields[0], 0);
            if (Integer.parseInt(fields[1]) != expected && problem == null) {
                problem = "sender " + fields[0] + " sent " + fields[1] + " after " + (expected - 1);
            }
            next.put(fields[0], expected + 1);
            count++;
        }
    }

    @ClientEndpoint
    public static class AnnotatedClient {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @OnOpen
        public void open() {
            events.add("open");
        }

        @OnMessage
        public void text(String message) {
            events.add(message);
        }

        @OnClose
        public void close(CloseReason reason) {
            events.add("close:" + reason.getCloseCode().getCode());
        }
    }

    /** A programmatic client endpoint that records what happens. */
    static final class Recorder extends Endpoint {
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxTextMessageBufferSize(1 << 20);
            session.addMessageHandler(String.class, text -> events.add("text:" + text));
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) data ->
                    events.add("binary:" + data.remaining()));
            events.add("open");
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            events.add("close:" + reason.getCloseCode().getCode() + ":" + reason.getReasonPhrase());
        }

        @Override
        public void onError(Session session, Throwable error) {
            events.add("error:" + error);
        }

        String next() throws InterruptedException {
            String event = events.poll(10, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("nothing within 10 s");
            }
            return event;
        }
    }
}
