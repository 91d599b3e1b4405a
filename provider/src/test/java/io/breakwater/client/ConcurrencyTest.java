package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many threads sending on one session, in both directions over loopback: every message arrives whole,
 * each thread's messages in the order it sent them, whichever mix of blocking sends, asynchronous sends
 * (futures and handlers) and a message sent in parts they use.
 */
class ConcurrencyTest {

    private static final int THREADS = 4;
    private static final int PER_THREAD = 10_000;
    private static final ExecutorService senders = Executors.newCachedThreadPool();
    private static final BreakwaterClientContainer container = new BreakwaterClientContainer();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(ServerEndpointConfig.Builder.create(CheckingServer.class, "/check").build());
    }

    @AfterAll
    static void stop() {
        server.close();
        senders.shutdownNow();
    }

    @Test
    void fromTheClientToTheServer() throws Exception {
        RecordingClient client = new RecordingClient();
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                server.uri("/check"));
        assertEquals("open", client.next());
        sendFromThreads(session);
        session.getBasicRemote().sendText("report");
        assertEquals("text:ok " + THREADS * PER_THREAD, client.next());
        session.close();
        assertEquals("close:1000:", client.next());
    }

    @Test
    void fromTheServerToTheClient() throws Exception {
        Checker checker = new Checker();
        RecordingClient client = new RecordingClient((session, self) -> session.addMessageHandler(String.class, text -> {
            if (text.startsWith("sent:")) {
                self.record(text + " " + checker.result());
            } else {
                checker.accept(text);
            }
        }));
        Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                server.uri("/check"));
        assertEquals("open", client.next());
        session.getBasicRemote().sendText("send");
        assertEquals("sent:ok ok " + THREADS * PER_THREAD, client.next());
        session.close();
        assertEquals("close:1000:", client.next());
    }

    /** Each of {@link #THREADS} threads sends {@link #PER_THREAD} messages on the session, and waits for them. */
    static void sendFromThreads(Session session) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int sender = t;
            running.add(senders.submit(() -> {
                send(session, sender);
                return null;
            }));
        }
        for (Future<?> sender : running) {
            sender.get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Thread 0 sends each message in three parts through the blocking remote, holding the channel from the
     * first part to the last; the other threads mix blocking sends, futures and send handlers.
     */
    private static void send(Session session, int sender) throws Exception {
        List<Future<Void>> pending = new ArrayList<>();
        for (int i = 0; i < PER_THREAD; i++) {
            String message = message(sender, i);
            if (sender == 0) {
                int third = message.length() / 3;
                session.getBasicRemote().sendText(message.substring(0, third), false);
                session.getBasicRemote().sendText(message.substring(third, 2 * third), false);
                session.getBasicRemote().sendText(message.substring(2 * third), true);
                continue;
            }
            switch (i % 3) {
                case 0 -> session.getBasicRemote().sendText(message);
                case 1 -> pending.add(session.getAsyncRemote().sendText(message));
                default -> {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    session.getAsyncRemote().sendText(message, (SendResult result) -> {
                        if (result.isOK()) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(result.getException());
                        }
                    });
                    pending.add(done);
                }
            }
            if (pending.size() >= 256) { // keeps well under the queue limit
                for (Future<Void> future : pending) {
                    future.get(30, TimeUnit.SECONDS);
                }
                pending.clear();
            }
        }
        for (Future<Void> future : pending) {
            future.get(30, TimeUnit.SECONDS);
        }
    }

    /** "sender:sequence:" and a body of the sender's letter: a message mixed with another's shows. */
    static String message(int sender, int sequence) {
        return sender + ":" + sequence + ":" + String.valueOf((char) ('a' + sender)).repeat(3 + sequence % 60);
    }

    /** Checks messages from {@link #send}: whole, and in each sender's order. One thread at a time. */
    static final class Checker {
        private final Map<Integer, Integer> next = new HashMap<>();
        private int count;
        private String problem;

        void accept(String message) {
            count++;
            if (problem != null) {
                return;
            }
            String[] fields = message.split(":", 3);
            int sender;
            int sequence;
            try {
                sender = Integer.parseInt(fields[0]);
                sequence = Integer.parseInt(fields[1]);
            } catch (RuntimeException e) {
                problem = "malformed message " + message;
                return;
            }
            int expected = next.getOrDefault(sender, 0);
            if (sequence != expected) {
                problem = "sender " + sender + " sent " + sequence + " where " + expected + " was due";
            } else if (!message.equals(message(sender, sequence))) {
                problem = "message mixed up: " + message;
            }
            next.put(sender, expected + 1);
        }

        String result() {
            return problem != null ? problem : "ok " + count;
        }
    }

    /** Checks what it receives; on "report" answers the result; on "send" sends from several threads itself. */
    public static class CheckingServer extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            Checker checker = new Checker();
            session.addMessageHandler(String.class, text -> {
                try {
                    if (text.equals("report")) {
                        session.getBasicRemote().sendText(checker.result());
                    } else if (text.equals("send")) {
                        // Not on the callback thread: the senders would wait for each other's completions.
                        AtomicReference<String> outcome = new AtomicReference<>("ok");
                        senders.submit(() -> {
                            try {
                                sendFromThreads(session);
                            } catch (Exception e) {
                                outcome.set("failed: " + e);
                            }
                            session.getBasicRemote().sendText("sent:" + outcome.get());
                            return null;
                        });
                    } else {
                        checker.accept(text);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
