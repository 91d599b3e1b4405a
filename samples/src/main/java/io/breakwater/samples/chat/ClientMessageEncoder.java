package io.breakwater.samples.chat;

import jakarta.websocket.Encoder;

/** Client side: a {@link ClientMessage} to JSON text. */
public final class ClientMessageEncoder implements Encoder.Text<ClientMessage> {

    @Override
    public String encode(ClientMessage message) {
        return ChatJson.write(message);
    }
}
