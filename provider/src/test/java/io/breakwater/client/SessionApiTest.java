package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.testing.OpenSessions;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Extension;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code Session} API over loopback, on both sides: identity, the request as the server saw it,
 * user properties, open sessions, negotiated subprotocol and extensions, idle timeouts, buffer limits,
 * and closing.
 */
class SessionApiTest {

    private static final BreakwaterClientContainer container = new BreakwaterClientContainer();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(InfoServer.class, OtherServer.class, LimitedServer.class);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @AfterAll
    static void noClientSessionLeft() {
        assertTrue(container.openSessions().isEmpty(), "open: " + container.openSessions());
    }

    @Test
    void theServerSessionKnowsTheRequest() throws Exception {
        URI uri = server.uri("/info/lobby?user=ann&tag=a&tag=b%20c");
        RecordingClient client = new RecordingClient();
        Session session = connect(client, uri);
        assertEquals("user=ann&tag=a&tag=b%20c", ask(client, session, "query"));
        // The path's variables, then the query's parameters, as HandshakeRequest.getParameterMap() has them.
        assertEquals("{room=[lobby], tag=[a, b c], user=[ann]}", ask(client, session, "params"));
        assertEquals("{room=lobby}", ask(client, session, "path"));
        assertEquals(uri.toString(), ask(client, session, "uri"));
        assertEquals("13", ask(client, session, "version"));
        assertEquals("false", ask(client, session, "secure"));
        // The client's view: the URI it connected to, no path parameters.
        assertEquals(uri, session.getRequestURI());
        assertEquals(Map.of(), session.getPathParameters());
        assertEquals("13", session.getProtocolVersion());
        assertFalse(session.isSecure());
        assertSame(container, session.getContainer());
        closeAndWait(client, session);
    }

    @Test
    void idsAreUniqueAndOpenSessionsAreThoseOfTheSameEndpoint() throws Exception {
        List<RecordingClient> clients = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        Set<String> serverIds = new HashSet<>();
        for (String room : List.of("a", "b", "c")) {
            RecordingClient client = new RecordingClient();
            Session session = connect(client, server.uri("/info/" + room));
            clients.add(client);
            sessions.add(session);
            serverIds.add(ask(client, session, "id"));
        }
        RecordingClient other = new RecordingClient();
        Session otherSession = connect(other, server.uri("/other"));
        String otherId = ask(other, otherSession, "id");

        assertEquals(3, serverIds.size(), "server session ids: " + serverIds);
        assertFalse(serverIds.contains(otherId));
        Set<String> clientIds = sessions.stream().map(Session::getId).collect(Collectors.toSet());
        clientIds.add(otherSession.getId());
        assertEquals(4, clientIds.size(), "client session ids: " + clientIds);

        // The server's view: the open sessions of its endpoint, whatever the path parameters; not /other's.
        assertEquals(new TreeSet<>(serverIds).toString(), ask(clients.get(0), sessions.get(0), "open"));
        String closedId = ask(clients.get(1), sessions.get(1), "id");
        closeAndWait(clients.get(1), sessions.get(1));
        assertEquals("1000:", serverClose(closedId));
        serverIds.remove(closedId);
        assertEquals(new TreeSet<>(serverIds).toString(), ask(clients.get(2), sessions.get(2), "open"));
        // The client's view includes the session itself.
        assertTrue(sessions.get(0).getOpenSessions().contains(sessions.get(0)));
        assertFalse(sessions.get(0).getOpenSessions().contains(sessions.get(1)));

        closeAndWait(clients.get(0), sessions.get(0));
        closeAndWait(clients.get(2), sessions.get(2));
        closeAndWait(other, otherSession);
    }

    @Test
    void clientUserPropertiesAreAShallowCopyOfTheConfigs() throws Exception {
        List<String> shared = new ArrayList<>();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create().build();
        config.getUserProperties().put("name", "ann");
        config.getUserProperties().put("list", shared);
        RecordingClient first = new RecordingClient();
        RecordingClient second = new RecordingClient();
        Session one = container.connectToServer(first, config, server.uri("/info/a"));
        Session two = container.connectToServer(second, config, server.uri("/info/b"));
        assertEquals("open", first.next());
        assertEquals("open", second.next());
        assertEquals("ann", one.getUserProperties().get("name"));
        assertSame(shared, one.getUserProperties().get("list"), "a shallow copy");
        one.getUserProperties().put("name", "bob");
        config.getUserProperties().put("late", true);
        assertEquals("ann", config.getUserProperties().get("name"));
        assertEquals("ann", two.getUserProperties().get("name"), "each session has its own copy");
        assertNull(one.getUserProperties().get("late"));
        assertSame(config, first.config);
        closeAndWait(first, one);
        closeAndWait(second, two);
    }

    @Test
    void theSubprotocolIsAgreedOnBothSidesOrIsEmpty() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create()
                .preferredSubprotocols(List.of("v3", "v2", "v1")).build(), server.uri("/info/p"));
        assertEquals("open", client.next());
        assertEquals("v2", session.getNegotiatedSubprotocol());
        assertEquals("v2", ask(client, session, "subprotocol"));
        closeAndWait(client, session);

        RecordingClient none = new RecordingClient();
        Session plain = connect(none, server.uri("/info/p"));
        assertEquals("", plain.getNegotiatedSubprotocol());
        assertEquals("", ask(none, plain, "subprotocol"));
        closeAndWait(none, plain);
    }

    @Test
    void negotiatedExtensionsAreListedOnBothSides() throws Exception {
        Extension deflate = container.getInstalledExtensions().iterator().next();
        RecordingClient client = new RecordingClient();
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create()
                .extensions(List.of(deflate)).build(), server.uri("/info/x"));
        assertEquals("open", client.next());
        assertEquals(List.of("permessage-deflate"), names(session.getNegotiatedExtensions()));
        assertEquals("[permessage-deflate]", ask(client, session, "extensions"));
        closeAndWait(client, session);

        RecordingClient none = new RecordingClient();
        Session plain = connect(none, server.uri("/info/x"));
        assertEquals(List.of(), plain.getNegotiatedExtensions());
        assertEquals("[]", ask(none, plain, "extensions"));
        closeAndWait(none, plain);
    }

    @Test
    void theClientsIdleTimeoutCloses() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, server.uri("/info/idle"));
        String serverId = ask(client, session, "id");
        session.setMaxIdleTimeout(200);
        assertEquals(200, session.getMaxIdleTimeout());
        // WSC-2.1.5-1: the side whose container closed reports 1006; the peer gets 1001 in the close frame.
        assertEquals("close:1006:idle timeout of 200 ms passed", client.next());
        assertEquals("1001:idle timeout of 200 ms passed", serverClose(serverId));
        assertTrue(OpenSessions.closedWithinTenSeconds(session));
    }

    @Test
    void theServersIdleTimeoutCloses() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, server.uri("/info/idle"));
        String serverId = ask(client, session, "id");
        assertEquals("ok", ask(client, session, "idle:200"));
        assertEquals("close:1001:idle timeout of 200 ms passed", client.next());
        assertEquals("1006:idle timeout of 200 ms passed", serverClose(serverId));
        assertTrue(OpenSessions.closedWithinTenSeconds(session));
    }

    @Test
    void messagesKeepASessionFromGoingIdle() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, server.uri("/info/busy"));
        session.setMaxIdleTimeout(400);
        // Traffic every 100 ms for a second: more than twice the timeout, and never 400 ms of silence.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < end) {
            assertEquals("13", ask(client, session, "version"));
            Thread.sleep(100);
        }
        assertTrue(session.isOpen());
        assertEquals("close:1006:idle timeout of 400 ms passed", client.next());
    }

    @Test
    void theContainersDefaultIdleTimeoutApplies() throws Exception {
        BreakwaterClientContainer impatient = new BreakwaterClientContainer();
        impatient.setDefaultMaxSessionIdleTimeout(150);
        RecordingClient client = new RecordingClient();
        Session session = impatient.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                server.uri("/info/default"));
        assertEquals("open", client.next());
        assertEquals(150, session.getMaxIdleTimeout());
        assertEquals("close:1006:idle timeout of 150 ms passed", client.next());
    }

    @Test
    void aTextMessageOverTheReceiversBufferSizeClosesWith1009() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, server.uri("/info/limits"));
        assertEquals("ok", ask(client, session, "maxText:100"));
        String serverId = ask(client, session, "id");
        session.getBasicRemote().sendText("x".repeat(100)); // at the limit: fine
        assertEquals("text:unknown command", client.next());
        session.getBasicRemote().sendText("x".repeat(101));
        String close = client.nextNotError();
        assertTrue(close.startsWith("close:1009:"), close);
        String serverClose = serverClose(serverId);
        // The server closed for what the client sent: its onClose hears the code it sent, with the cause.
        assertTrue(serverClose.startsWith("1009:") && serverClose.contains("100"), serverClose);
    }

    @Test
    void aBinaryMessageOverTheReceiversBufferSizeClosesWith1009() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, server.uri("/info/limits"));
        assertEquals("ok", ask(client, session, "maxBinary:1000"));
        session.getBasicRemote().sendBinary(ByteBuffer.allocate(1000));
        assertEquals("text:binary:1000", client.next());
        session.getBasicRemote().sendBinary(ByteBuffer.allocate(1001));
        String close = client.nextNotError();
        assertTrue(close.startsWith("close:1009:"), close);
    }

    @Test
    void aMessageOverTheClientsBufferSizeClosesWith1009ToTheServer() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, server.uri("/info/limits"));
        String serverId = ask(client, session, "id");
        session.setMaxTextMessageBufferSize(50);
        assertEquals(50, session.getMaxTextMessageBufferSize());
        session.getBasicRemote().sendText("big:51");
        String close = client.nextNotError();
        // The client closed for what the server sent: its onClose hears the code it sent, with the cause.
        assertTrue(close.startsWith("close:1009:") && close.contains("50"), close);
        String serverClose = serverClose(serverId);
        assertTrue(serverClose.startsWith("1009:"), serverClose);

        RecordingClient binary = new RecordingClient();
        Session second = connect(binary, server.uri("/info/limits"));
        second.setMaxBinaryMessageBufferSize(50);
        second.getBasicRemote().sendText("bigBinary:51");
        close = binary.nextNotError();
        assertTrue(close.startsWith("close:1009:") && close.contains("50"), close);
    }

    @Test
    void theMaxMessageSizeOfOnMessageClosesWith1009() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, server.uri("/limited"));
        session.getBasicRemote().sendText("x".repeat(16));
        assertEquals("text:" + "x".repeat(16), client.next());
        session.getBasicRemote().sendText("x".repeat(17)); // WSC-4.7.1-1
        String close = client.nextNotError();
        assertTrue(close.startsWith("close:1009:"), close);
    }

    @Test
    void aProtocolViolationByThePeerReachesOnErrorAndClosesWith1007() throws Exception {
        // A text frame that is not UTF-8 (RFC 6455 §8.1), right behind the handshake response.
        try (RawServer peer = new RawServer(key -> RawServer.concat(RawServer.switching(key, ""),
                RawServer.frame(0x1, new byte[] {(byte) 0xC3, 0x28})))) {
            RecordingClient client = new RecordingClient();
            Session session = connect(client, peer.uri("/"));
            String error = client.next();
            assertTrue(error.startsWith("error:ProtocolException:"), error);
            String close = client.next();
            // The close answers the server's data: the client's onClose hears the code it sent.
            assertTrue(close.startsWith("close:1007:"), close);
            assertTrue(OpenSessions.closedWithinTenSeconds(session));
            peer.clientGone.get(10, TimeUnit.SECONDS);
            assertEquals(1007, RawServer.closeCode(peer.received.toByteArray()), "the close frame on the wire");
        }
    }

    @Test
    void closeWithoutAReasonIs1000OnBothSides() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, server.uri("/info/bye"));
        String serverId = ask(client, session, "id");
        session.close();
        assertEquals("close:1000:", client.next());
        assertTrue(OpenSessions.closedWithinTenSeconds(session));
        assertEquals("1000:", serverClose(serverId));
    }

    @Test
    void closeWithAReasonReachesBothSides() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, server.uri("/info/bye"));
        String serverId = ask(client, session, "id");
        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(4001), "see you"));
        assertEquals("close:4001:see you", client.next());
        assertEquals("4001:see you", serverClose(serverId));
    }

    @Test
    void aCloseByTheServerReachesBothSides() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, server.uri("/info/bye"));
        String serverId = ask(client, session, "id");
        session.getBasicRemote().sendText("close:1008:no spam");
        assertEquals("close:1008:no spam", client.next());
        assertEquals("1008:no spam", serverClose(serverId));
        assertTrue(OpenSessions.closedWithinTenSeconds(session));
    }

    @Test
    void onCloseIsCalledExactlyOnceOnEachSide() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, server.uri("/info/once"));
        String serverId = ask(client, session, "id");
        session.close();
        session.close(); // no effect (Closeable)
        assertEquals("close:1000:", client.next());
        assertEquals("1000:", serverClose(serverId));
        // The server closes TCP after the close handshake; its session has heard of it by now.
        assertTrue(server.closedConnections().tryAcquire(10, TimeUnit.SECONDS));
        client.assertNothingWithin(300);
        assertNull(InfoServer.closesOf(serverId).poll(300, TimeUnit.MILLISECONDS));
        assertEquals(1, client.closes.get());
    }

    @Test
    void sendingAfterCloseFails() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = connect(client, server.uri("/info/late"));
        // Taken before the close: once onClose has returned, Session methods throw IllegalStateException
        // (Session javadoc: "Calling any of its methods ... once the session has been closed will result in
        // an IllegalStateException"); sends through remotes taken earlier still fail with IOException.
        jakarta.websocket.RemoteEndpoint.Basic basic = session.getBasicRemote();
        jakarta.websocket.RemoteEndpoint.Async asyncRemote = session.getAsyncRemote();
        session.close();
        assertEquals("close:1000:", client.next());
        assertThrows(IOException.class, () -> basic.sendText("late"));
        assertThrows(IOException.class, () -> basic.sendBinary(ByteBuffer.allocate(1)));
        assertThrows(IOException.class, () -> basic.sendObject(42));
        assertThrows(IOException.class, () -> basic.sendPing(ByteBuffer.allocate(1)));
        assertThrows(IOException.class, () -> {
            try (Writer writer = basic.getSendWriter()) {
                writer.write("late");
            }
        });
        ExecutionException async = assertThrows(ExecutionException.class,
                () -> asyncRemote.sendText("late").get(5, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, async.getCause());
        BlockingQueue<Throwable> results = new LinkedBlockingQueue<>();
        asyncRemote.sendBinary(ByteBuffer.allocate(1), result -> results.add(
                result.isOK() ? new AssertionError("sent after close") : result.getException()));
        assertInstanceOf(IOException.class, results.poll(5, TimeUnit.SECONDS));
    }

    // ------------------------------------------------------------------------------------------------

    private static Session connect(RecordingClient client, URI uri) throws Exception {
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(), uri);
        assertEquals("open", client.next());
        return session;
    }

    /** Sends a command to the server endpoint and returns its text answer. */
    private static String ask(RecordingClient client, Session session, String command) throws Exception {
        session.getBasicRemote().sendText(command);
        String answer = client.next();
        assertTrue(answer.startsWith("text:"), answer);
        return answer.substring("text:".length());
    }

    private static void closeAndWait(RecordingClient client, Session session) throws Exception {
        session.close();
        String event = client.next();
        assertTrue(event.startsWith("close:1000"), event);
    }

    /** The next close the server endpoint of session {@code serverId} reports, as {@code code:reason}. */
    private static String serverClose(String serverId) throws InterruptedException {
        String close = InfoServer.closesOf(serverId).poll(10, TimeUnit.SECONDS);
        if (close == null) {
            throw new AssertionError("the server's session " + serverId + " reported no close within 10 s");
        }
        return close;
    }

    private static List<String> names(List<Extension> extensions) {
        return extensions.stream().map(Extension::getName).toList();
    }

    /** Answers commands about its session; records its closes as {@code id:code:reason}. */
    @ServerEndpoint(value = "/info/{room}", subprotocols = {"v1", "v2"})
    public static class InfoServer {
        private static final Map<String, BlockingQueue<String>> closes = new ConcurrentHashMap<>();

        /** The closes reported to the server endpoint of session {@code id}, as {@code code:reason}. */
        static BlockingQueue<String> closesOf(String id) {
            return closes.computeIfAbsent(id, key -> new LinkedBlockingQueue<>());
        }

        @OnMessage
        public String command(String command, Session session) throws IOException {
            String[] words = command.split(":", 3);
            switch (words[0]) {
                case "id":
                    return session.getId();
                case "query":
                    return session.getQueryString();
                case "params":
                    return new TreeMap<>(session.getRequestParameterMap()).toString();
                case "path":
                    return session.getPathParameters().toString();
                case "uri":
                    return session.getRequestURI().toString();
                case "version":
                    return session.getProtocolVersion();
                case "secure":
                    return String.valueOf(session.isSecure());
                case "subprotocol":
                    return session.getNegotiatedSubprotocol();
                case "extensions":
                    return names(session.getNegotiatedExtensions()).toString();
                case "open":
                    return new TreeSet<>(session.getOpenSessions().stream().map(Session::getId).toList()).toString();
                case "idle":
                    session.setMaxIdleTimeout(Long.parseLong(words[1]));
                    return "ok";
                case "maxText":
                    session.setMaxTextMessageBufferSize(Integer.parseInt(words[1]));
                    return "ok";
                case "maxBinary":
                    session.setMaxBinaryMessageBufferSize(Integer.parseInt(words[1]));
                    return "ok";
                case "big":
                    session.getBasicRemote().sendText("y".repeat(Integer.parseInt(words[1])));
                    return null;
                case "bigBinary":
                    session.getBasicRemote().sendBinary(ByteBuffer.allocate(Integer.parseInt(words[1])));
                    return null;
                case "close":
                    session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(Integer.parseInt(words[1])),
                            words[2]));
                    return null;
                default:
                    return "unknown command";
            }
        }

        @OnMessage
        public String binary(ByteBuffer data) {
            return "binary:" + data.remaining();
        }

        @OnClose
        public void close(Session session, CloseReason reason) {
            closesOf(session.getId()).add(reason.getCloseCode().getCode() + ":" + reason.getReasonPhrase());
        }
    }

    @ServerEndpoint("/limited")
    public static class LimitedServer {
        @OnMessage(maxMessageSize = 16)
        public String echo(String text) {
            return text;
        }
    }

    @ServerEndpoint("/other")
    public static class OtherServer {
        @OnMessage
        public String id(String command, Session session) {
            return session.getId();
        }
    }
}
