package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code RemoteEndpoint.Basic} partial sends from several threads on one session over loopback: a message
 * sent in parts belongs to the thread that sent its first part until its last, so every message arrives
 * whole, uncorrupted, and each thread's in the order it sent them.
 */
class PartsFromThreadsTest {

    private static final int THREADS = 4;
    private static final int PER_THREAD = 1_000;
    private static final ExecutorService senders = Executors.newCachedThreadPool();
    private static final BreakwaterClientContainer container = new BreakwaterClientContainer();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Checker.class);
    }

    @AfterAll
    static void stop() {
        server.close();
        senders.shutdownNow();
    }

    @Test
    void messagesInThreePartsFromFourThreadsArriveWholeAndInOrder() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                server.uri("/parts"));
        assertEquals("open", client.next());
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int sender = t;
            running.add(senders.submit(() -> {
                for (int i = 0; i < PER_THREAD; i++) {
                    String message = message(sender, i);
                    int third = message.length() / 3;
                    session.getBasicRemote().sendText(message.substring(0, third), false);
                    session.getBasicRemote().sendText(message.substring(third, 2 * third), false);
                    session.getBasicRemote().sendText(message.substring(2 * third), true);
                }
                return null;
            }));
        }
        for (Future<?> sender : running) {
            sender.get(60, TimeUnit.SECONDS);
        }
        session.getBasicRemote().sendText("report");
        assertEquals("text:ok " + THREADS * PER_THREAD, client.next());
        session.close();
        assertEquals("close:1000:", client.next());
    }

    /** "sender:sequence:" and a body of the sender's letter, of a length that varies: a mix-up shows. */
    static String message(int sender, int sequence) {
        return sender + ":" + sequence + ":" + String.valueOf((char) ('a' + sender)).repeat(3 + sequence % 40);
    }

    /** Checks each message against what its sender must have sent next; answers "report" with the result. */
    @ServerEndpoint("/parts")
    public static class Checker {
        private final Map<Integer, Integer> next = new HashMap<>();
        private int count;
        private String failure;

        @OnMessage
        public String onMessage(String message) {
            if (message.equals("report")) {
                return failure != null ? failure : "ok " + count;
            }
            try {
                String[] fields = message.split(":", 3);
                int sender = Integer.parseInt(fields[0]);
                int expected = next.getOrDefault(sender, 0);
                if (!message.equals(message(sender, expected)) && failure == null) {
                    failure = "expected " + message(sender, expected) + ", got " + message;
                }
                next.put(sender, expected + 1);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = "malformed " + message;
                }
            }
            count++;
            return null;
        }
    }
}
