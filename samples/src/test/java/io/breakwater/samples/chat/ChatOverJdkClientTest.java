package io.breakwater.samples.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.samples.server.ChatServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chat on embedded Jetty, used by members on the JDK's WebSocket client. */
class ChatOverJdkClientTest {

    private static ChatServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ChatServer.start(0);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void twoMembersTalkBothWaysAndSeeEachOtherComeAndGo() throws Exception {
        TwoJdkMembers.talkBothWaysAndSeeEachOtherComeAndGo(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                "both-ways");
    }

    @Test
    void aLateJoinerGetsTheLastFiftyMessages() throws Exception {
        JdkMember talker = JdkMember.join(server.port(), "history", "talker");
        talker.next(ServerMessage.Welcome.class);
        int said = ChatEndpoint.HISTORY_LIMIT + 5;
        for (int i = 1; i <= said; i++) {
            talker.say("message " + i);
        }
        for (int i = 1; i <= said; i++) {
            assertEquals("message " + i, talker.next(ServerMessage.Said.class).text());
        }

        JdkMember late = JdkMember.join(server.port(), "history", "late");
        ServerMessage.Welcome welcome = late.next(ServerMessage.Welcome.class);
        assertEquals(ChatEndpoint.HISTORY_LIMIT, welcome.history().size());
        assertEquals("message 6", welcome.history().get(0).text());
        assertEquals("message " + said, welcome.history().get(ChatEndpoint.HISTORY_LIMIT - 1).text());
        assertEquals("talker", welcome.history().get(0).from());
        talker.leave();
        late.leave();
    }

    @Test
    void aTakenNameGetsANumberAndAMissingOneIsGuest() throws Exception {
        JdkMember first = JdkMember.join(server.port(), "names", "sam");
        assertEquals("sam", first.next(ServerMessage.Welcome.class).you());
        JdkMember second = JdkMember.join(server.port(), "names", "  sam\t");
        ServerMessage.Welcome welcome = second.next(ServerMessage.Welcome.class);
        assertEquals("sam 2", welcome.you());
        assertEquals(List.of("sam", "sam 2"), welcome.members());
        JdkMember nameless = JdkMember.join(server.port(), "names", "");
        assertEquals("guest", nameless.next(ServerMessage.Welcome.class).you());
        first.leave();
        second.leave();
        nameless.leave();
    }

    @Test
    void whatIsNotAChatMessageIsRefusedAndTheMemberStays() throws Exception {
        JdkMember member = JdkMember.join(server.port(), "refusals", "mallory");
        member.next(ServerMessage.Welcome.class);

        member.sendRaw("hello?");
        assertTrue(member.next(ServerMessage.Refused.class).reason().startsWith("Not a chat message"));
        member.sendRaw("{\"type\":\"shout\",\"text\":\"HI\"}");
        assertTrue(member.next(ServerMessage.Refused.class).reason().contains("unknown message type \"shout\""));
        member.say("x".repeat(ChatEndpoint.MAX_TEXT_LENGTH + 1));
        assertTrue(member.next(ServerMessage.Refused.class).reason().startsWith("A message is at most 2000"));

        member.say("still here");
        assertEquals("still here", member.next(ServerMessage.Said.class).text());
        member.leave();
    }

    @Test
    void aRoomNameThatIsNotAWordIsClosedWith1003() throws Exception {
        JdkMember member = JdkMember.join(server.port(), "two%20words", "ann");
        assertEquals(1003, member.closeCode());
    }

    @Test
    void theServerServesThePage() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<title>Breakwater chat</title>"));
        for (String asset : List.of("chat.js", "chat.css")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/" + asset)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), asset);
        }
    }

    @Test
    void theEchoEndpointSendsTextAndBinaryBack() throws Exception {
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        received.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        received.add(bytes);
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("echo, echo", true).get(10, TimeUnit.SECONDS);
        assertEquals("echo, echo", received.poll(10, TimeUnit.SECONDS));
        socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) received.poll(10, TimeUnit.SECONDS));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }
}
