package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Where the client's opening runs: the selector thread parses and validates the server's response and
 * nothing more; the configurator's {@code afterResponse} and the {@code init} of the session's decoders
 * and encoders run on the container's callback threads. The frames a server sends in the same write as
 * its 101 still reach the session, in order, once it is open.
 */
class HandshakeThreadsTest {

    /** Where each piece of application code ran, as "what:thread name". */
    private static final BlockingQueue<String> RAN_ON = new LinkedBlockingQueue<>();

    @Test
    void applicationCodeOfTheOpeningRunsOnCallbackThreadsAndFramesThatCameWithThe101ArriveInOrder()
            throws Exception {
        try (RawServer server = new RawServer(key -> RawServer.concat(RawServer.switching(key, ""),
                RawServer.frame(0x1, "one".getBytes(StandardCharsets.UTF_8)),
                RawServer.frame(0x1, "two".getBytes(StandardCharsets.UTF_8))))) {
            RecordingClient client = new RecordingClient((session, self) ->
                    session.addMessageHandler(Word.class, word -> self.record("word:" + word.text())));
            ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                    .configurator(new RecordingConfigurator())
                    .decoders(List.of(WordDecoder.class))
                    .encoders(List.of(WordEncoder.class))
                    .build();
            Session session = ContainerProvider.getWebSocketContainer().connectToServer(client, config,
                    server.uri("/"));

            assertEquals("open", client.next());
            assertEquals("word:one", client.next());
            assertEquals("word:two", client.next());
            for (String what : List.of("afterResponse", "Decoder.init", "Encoder.init")) {
                String thread = threadOf(what);
                assertFalse(thread.contains("-selector-"), what + " ran on the selector thread " + thread);
                assertTrue(thread.startsWith("breakwater-client-") && thread.contains("-callback-"),
                        what + " ran on " + thread + ", not on one of the container's callback threads");
            }
            session.close();
        }
    }

    /** The thread {@code what} ran on. The session has received messages, so its opening is over. */
    private static String threadOf(String what) {
        for (String entry : RAN_ON) {
            if (entry.startsWith(what + ":")) {
                return entry.substring(what.length() + 1);
            }
        }
        throw new AssertionError(what + " did not run; ran: " + RAN_ON);
    }

    private static void ranOn(String what) {
        RAN_ON.add(what + ":" + Thread.currentThread().getName());
    }

    static final class RecordingConfigurator extends ClientEndpointConfig.Configurator {
        @Override
        public void afterResponse(HandshakeResponse response) {
            ranOn("afterResponse");
        }
    }

    record Word(String text) {
    }

    public static final class WordDecoder implements Decoder.Text<Word> {
        @Override
        public void init(EndpointConfig config) {
            ranOn("Decoder.init");
        }

        @Override
        public Word decode(String text) {
            return new Word(text);
        }

        @Override
        public boolean willDecode(String text) {
            return true;
        }
    }

    public static final class WordEncoder implements Encoder.Text<Word> {
        @Override
        public void init(EndpointConfig config) {
            ranOn("Encoder.init");
        }

        @Override
        public String encode(Word word) {
            return word.text();
        }
    }
}
