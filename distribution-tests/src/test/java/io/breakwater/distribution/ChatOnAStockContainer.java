package io.breakwater.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What a user of the chat WAR checks on a container set up as the README says: the page loads, and two
 * browsers in one room hear each other, each sending its first line the moment its connection opened.
 */
abstract class ChatOnAStockContainer {

    /** The application's root, {@code http://127.0.0.1:port/breakwater-chat/}. */
    abstract URI application();

    @Test
    void thePageAndItsScriptAreServed() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(application()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Breakwater chat</title>"), page.body());
        HttpResponse<String> script = http.send(HttpRequest.newBuilder(application().resolve("chat.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("new WebSocket("), "chat.js as served");
    }

    @Test
    void twoBrowsersInOneRoomHearEachOther() throws Exception {
        String room = newRoom();
        try (ChatMember ada = ChatMember.joinAndSayAtOnce(application(), room, "ada", "first line, sent at once")) {
            JsonObject welcome = ada.next("welcome");
            assertEquals("ada", welcome.getString("you"));
            assertEquals(List.of("ada"), strings(welcome, "members"));
            // Breakwater agrees to the browser's offer of compression; the page shows it.
            assertEquals(List.of("permessage-deflate"), strings(welcome, "extensions"));
            assertSaid(ada.next("message"), "ada", "first line, sent at once");

            try (ChatMember bob = ChatMember.joinAndSayAtOnce(application(), room, "bob", "hello ada")) {
                JsonObject bobsWelcome = bob.next("welcome");
                assertEquals(List.of("ada", "bob"), strings(bobsWelcome, "members"));
                JsonObject history = bobsWelcome.getJsonArray("history").getJsonObject(0);
                assertSaid(history, "ada", "first line, sent at once");
                assertSaid(bob.next("message"), "bob", "hello ada");

                assertEquals("bob", ada.next("joined").getString("name"));
                assertSaid(ada.next("message"), "bob", "hello ada");

                ada.say("hello bob");
                assertSaid(ada.next("message"), "ada", "hello bob");
                assertSaid(bob.next("message"), "ada", "hello bob");

                assertEquals(1000, bob.leave());
            }
            JsonObject left = ada.next("left");
            assertEquals("bob", left.getString("name"));
            assertEquals(List.of("ada"), strings(left, "members"));
            assertEquals(1000, ada.leave());
        }
    }

    /** A room of its own for each test: the rooms live as long as the server. */
    static String newRoom() {
        return "r" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void assertSaid(JsonObject said, String from, String text) {
        assertEquals(from, said.getString("from"), said.toString());
        assertEquals(text, said.getString("text"), said.toString());
    }

    static List<String> strings(JsonObject object, String name) {
        return object.getJsonArray(name).getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
