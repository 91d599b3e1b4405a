package io.breakwater.samples.chat;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;

/** Client side: the server's JSON text to a {@link ServerMessage}. */
public final class ServerMessageDecoder implements Decoder.Text<ServerMessage> {

    @Override
    public ServerMessage decode(String text) throws DecodeException {
        try {
            return ChatJson.readServerMessage(text);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(text, e.getMessage(), e);
        }
    }

    @Override
    public boolean willDecode(String text) {
        return true;
    }
}
