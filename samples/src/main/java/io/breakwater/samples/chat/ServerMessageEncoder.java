package io.breakwater.samples.chat;

import jakarta.websocket.Encoder;

/** Server side: any {@link ServerMessage} to JSON text. */
public final class ServerMessageEncoder implements Encoder.Text<ServerMessage> {

    @Override
    public String encode(ServerMessage message) {
        return ChatJson.write(message);
    }
}
