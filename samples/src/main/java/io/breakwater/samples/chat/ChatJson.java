package io.breakwater.samples.chat;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The chat's wire format, both ways, in one place: each message is a JSON object whose
 * {@code type} says which kind it is. The encoders and decoders the endpoints name are thin
 * wrappers around these methods, so the server, the console client and the tests agree by
 * construction.
 */
public final class ChatJson {

    // Json.createXxx looks the provider up on every call; one lookup is enough.
    private static final JsonProvider JSON = JsonProvider.provider();

    private ChatJson() {
    }

    public static String write(ClientMessage message) {
        return JSON.createObjectBuilder().add("type", "say").add("text", message.text()).build().toString();
    }

    public static ClientMessage readClientMessage(String text) {
        JsonObject object = parse(text);
        String type = string(object, "type");
        if (!type.equals("say")) {
            throw new IllegalArgumentException("unknown message type \"" + type + "\"");
        }
        return new ClientMessage(string(object, "text"));
    }

    public static String write(ServerMessage message) {
        return toJson(message).toString();
    }

    public static ServerMessage readServerMessage(String text) {
        JsonObject object = parse(text);
        String type = string(object, "type");
        return switch (type) {
            case "welcome" -> new ServerMessage.Welcome(string(object, "room"), string(object, "you"),
                    strings(object, "members"), history(object), strings(object, "extensions"));
            case "message" -> said(object);
            case "joined" -> new ServerMessage.Joined(string(object, "name"), strings(object, "members"));
            case "left" -> new ServerMessage.Left(string(object, "name"), strings(object, "members"));
            case "refused" -> new ServerMessage.Refused(string(object, "reason"));
            default -> throw new IllegalArgumentException("unknown message type \"" + type + "\"");
        };
    }

    private static JsonObject toJson(ServerMessage message) {
        if (message instanceof ServerMessage.Welcome welcome) {
            JsonArrayBuilder history = JSON.createArrayBuilder();
            welcome.history().forEach(said -> history.add(toJson(said)));
            return JSON.createObjectBuilder().add("type", "welcome").add("room", welcome.room())
                    .add("you", welcome.you()).add("members", array(welcome.members())).add("history", history)
                    .add("extensions", array(welcome.extensions())).build();
        }
        if (message instanceof ServerMessage.Said said) {
            return JSON.createObjectBuilder().add("type", "message").add("from", said.from())
                    .add("text", said.text()).add("time", said.time().toString()).build();
        }
        if (message instanceof ServerMessage.Joined joined) {
            return JSON.createObjectBuilder().add("type", "joined").add("name", joined.name())
                    .add("members", array(joined.members())).build();
        }
        if (message instanceof ServerMessage.Left left) {
            return JSON.createObjectBuilder().add("type", "left").add("name", left.name())
                    .add("members", array(left.members())).build();
        }
        ServerMessage.Refused refused = (ServerMessage.Refused) message;
        return JSON.createObjectBuilder().add("type", "refused").add("reason", refused.reason()).build();
    }

    private static JsonArrayBuilder array(List<String> values) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }

    private static JsonObject parse(String text) {
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
        }
    }

    private static String string(JsonObject object, String name) {
        JsonValue value = object.get(name);
        if (!(value instanceof JsonString string)) {
            throw new IllegalArgumentException("\"" + name + "\" must be a string");
        }
        return string.getString();
    }

    private static List<String> strings(JsonObject object, String name) {
        JsonValue value = object.get(name);
        if (!(value instanceof JsonArray array)) {
            throw new IllegalArgumentException("\"" + name + "\" must be an array");
        }
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private static List<ServerMessage.Said> history(JsonObject object) {
        JsonValue value = object.get("history");
        if (!(value instanceof JsonArray array)) {
            throw new IllegalArgumentException("\"history\" must be an array");
        }
        return array.getValuesAs(JsonObject.class).stream().map(ChatJson::said).toList();
    }

    private static ServerMessage.Said said(JsonObject object) {
        try {
            return new ServerMessage.Said(string(object, "from"), string(object, "text"),
                    Instant.parse(string(object, "time")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"time\" must be an ISO-8601 instant", e);
        }
    }
}
