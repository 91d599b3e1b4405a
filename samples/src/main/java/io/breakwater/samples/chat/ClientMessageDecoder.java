package io.breakwater.samples.chat;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;

/** Server side: a member's JSON text to a {@link ClientMessage}. */
public final class ClientMessageDecoder implements Decoder.Text<ClientMessage> {

    @Override
    public ClientMessage decode(String text) throws DecodeException {
        try {
            return ChatJson.readClientMessage(text);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(text, e.getMessage(), e);
        }
    }

    @Override
    public boolean willDecode(String text) {
        return true; // Every text message is meant for us; decode says what is wrong with a bad one.
    }
}
