package io.breakwater.samples.chat;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.time.Clock;

/**
 * The chat: {@code ws://host/chat/{room}?name=alice} joins a room as alice. Members send
 * {@link ClientMessage}s and receive {@link ServerMessage}s, both as JSON through the encoder and
 * decoder named here. A new member first gets a {@link ServerMessage.Welcome} with who is in the room
 * and the last {@value #HISTORY_LIMIT} messages.
 *
 * <p>The container makes one instance per connection; the rooms are shared by all of them.
 * permessage-deflate needs nothing here: Breakwater agrees to it whenever the client offers it.
 */
@ServerEndpoint(value = "/chat/{room}", encoders = ServerMessageEncoder.class, decoders = ClientMessageDecoder.class)
public class ChatEndpoint {

    static final int HISTORY_LIMIT = 50;
    static final int MAX_TEXT_LENGTH = 2000;

    private static final ChatRooms ROOMS = new ChatRooms(HISTORY_LIMIT, Clock.systemUTC());
    private static final System.Logger LOG = System.getLogger(ChatEndpoint.class.getName());

    private ChatRoom room;

    @OnOpen
    public void open(Session session, @PathParam("room") String roomName) throws IOException {
        if (!MemberNames.isRoomName(roomName)) {
            session.close(new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT,
                    "a room name is 1 to 40 letters, digits, '-' or '_'"));
            return;
        }
        room = ROOMS.named(roomName);
        room.join(session, MemberNames.fromRequest(session.getRequestParameterMap().get("name")));
    }

    // Well above MAX_TEXT_LENGTH in JSON, so that a long line is answered rather than cut off with 1009.
    @OnMessage(maxMessageSize = 64 * 1024)
    public void message(ClientMessage message, Session session) {
        String text = message.text().strip();
        if (text.isEmpty()) {
            return;
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            session.getAsyncRemote().sendObject(new ServerMessage.Refused(
                    "A message is at most " + MAX_TEXT_LENGTH + " characters; that one had " + text.length() + "."));
            return;
        }
        room.say(session, text);
    }

    @OnClose
    public void close(Session session) {
        if (room != null) {
            room.leave(session);
        }
    }

    @OnError
    public void error(Session session, Throwable error) {
        if (error instanceof DecodeException decoding && session.isOpen()) {
            session.getAsyncRemote().sendObject(new ServerMessage.Refused(
                    "Not a chat message (" + decoding.getMessage() + ")."));
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "chat connection failed", error);
    }
}
