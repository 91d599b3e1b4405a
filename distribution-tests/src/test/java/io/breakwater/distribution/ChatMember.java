package io.breakwater.distribution;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A member of the sample chat as its page ({@code chat.js}) is one: it joins {@code chat/{room}?name=...}
 * relative to the application, sends {@code {"type":"say","text":...}} and reads the JSON the server sends.
 */
final class ChatMember implements AutoCloseable {

    private final BrowserLikeSocket socket;

    private ChatMember(BrowserLikeSocket socket) {
        this.socket = socket;
    }

    /** Joins {@code room} as {@code name} and says {@code firstLine} the moment the 101 has arrived. */
    static ChatMember joinAndSayAtOnce(URI application, String room, String name, String firstLine)
            throws IOException {
        return new ChatMember(BrowserLikeSocket.open(roomUrl(application, room, name), sayMessage(firstLine)));
    }

    /** Joins {@code room} as {@code name} with {@code firstLine} sent in the same write as the handshake. */
    static ChatMember joinWithTheLineInTheHandshakeWrite(URI application, String room, String name,
                                                         String firstLine) throws IOException {
        return new ChatMember(BrowserLikeSocket.openWithFrameInTheHandshakeWrite(
                roomUrl(application, room, name), sayMessage(firstLine)));
    }

    /** {@code ws://host:port/context/chat/room?name=...}, as {@code roomUrl} in chat.js makes it. */
    static URI roomUrl(URI application, String room, String name) {
        URI http = application.resolve("chat/" + room + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        return URI.create("ws" + http.toString().substring("http".length()));
    }

    /** The next message, which must be of {@code type} ("welcome", "message", "joined", "left"). */
    JsonObject next(String type) throws IOException {
        String text = socket.receive();
        JsonObject message;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            message = reader.readObject();
        }
        if (!type.equals(message.getString("type", null))) {
            throw new AssertionError("expected a message of type " + type + ", got " + text);
        }
        return message;
    }

    void say(String line) throws IOException {
        socket.send(sayMessage(line));
    }

    /** Leaves as the page's Leave button does (close 1000) and returns the code the server closed with. */
    int leave() throws IOException {
        return socket.closeNormally();
    }

    BrowserLikeSocket socket() {
        return socket;
    }

    private static String sayMessage(String line) {
        return Json.createObjectBuilder().add("type", "say").add("text", line).build().toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
