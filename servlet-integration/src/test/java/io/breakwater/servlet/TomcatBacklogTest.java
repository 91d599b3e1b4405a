package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow application on the portable servlet path (embedded Tomcat): peers send faster than the
 * endpoint handles, so the received backlog crosses the session's queue limit over and over, and
 * reading is suspended on the thread that reads (the backlog grows) and resumed on a callback thread
 * (it shrinks), often while the next bytes are being handled. Every message must still be handled, in
 * order; the connections must close cleanly; and no two threads may ever wait for each other (a
 * container thread and a callback thread, each holding what the other needs, would wedge the
 * connection and lose both threads for good).
 */
class TomcatBacklogTest {

    /** The handler of client c pauses for a moment every PAUSE_EVERY[c]th message (0: never). */
    private static final int[] PAUSE_EVERY = {0, 0, 256, 64, 32, 16, 8, 4};
    private static final int CLIENTS = PAUSE_EVERY.length;
    private static final int MESSAGES = 30_000;
    /** Small, so that a handful of waiting messages crosses it, and a handful handled goes back under half. */
    private static final String QUEUE_LIMIT = "64";
    private static final long DEADLINE_MILLIS = 120_000;

    /** Records what each client sent, in the order handled; slow now and then, in bursts. */
    @ServerEndpoint("/slow/{client}")
    public static class SlowEndpoint {
        static final Map<String, List<Integer>> RECEIVED = new ConcurrentHashMap<>();
        static final AtomicInteger HANDLED = new AtomicInteger();
        static final Map<String, CompletableFuture<CloseReason>> CLOSED = new ConcurrentHashMap<>();

        @OnMessage
        public void message(String text, @PathParam("client") String client) {
            int number = Integer.parseInt(text);
            RECEIVED.computeIfAbsent(client, c -> Collections.synchronizedList(new ArrayList<>())).add(number);
            HANDLED.incrementAndGet();
            // Each client's handler slow in its own measure, from as fast as the reading thread can be
            // to a good deal slower, whatever the machine: the backlog goes up past the limit and back
            // under half of it, again and again, sometimes within what one read brought.
            int pauseEvery = PAUSE_EVERY[Integer.parseInt(client)];
            if (pauseEvery > 0 && number % pauseEvery == 0) {
                LockSupport.parkNanos(20_000);
            }
        }

        @OnClose
        public void closed(CloseReason reason, @PathParam("client") String client) {
            CLOSED.computeIfAbsent(client, c -> new CompletableFuture<>()).complete(reason);
        }
    }

    @TempDir
    Path baseDir;
    private EmbeddedTomcat tomcat;
    private final List<RawWebSocket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (RawWebSocket socket : sockets) {
            socket.close();
        }
        if (tomcat != null) {
            // After a deadlock two of Tomcat's threads never return; stopping must not hang the build too.
            Thread stopper = new Thread(() -> {
                try {
                    tomcat.stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "tomcat-stop");
            stopper.setDaemon(true);
            stopper.start();
            stopper.join(10_000);
        }
    }

    @Test
    void aSlowHandlerGetsEveryMessageInOrderAndNothingDeadlocks() throws Exception {
        SlowEndpoint.RECEIVED.clear();
        SlowEndpoint.HANDLED.set(0);
        SlowEndpoint.CLOSED.clear();
        tomcat = EmbeddedTomcat.start(baseDir,
                Map.of(BreakwaterServletContainerInitializer.MAX_QUEUED_BYTES_PARAMETER, QUEUE_LIMIT),
                SlowEndpoint.class);
        try (DeadlockWatch watch = new DeadlockWatch()) {
            List<Thread> senders = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                RawWebSocket socket = RawWebSocket.open(tomcat.port(), "/app/slow/" + c);
                sockets.add(socket);
                Thread sender = new Thread(() -> sendAll(socket), "sender-" + c);
                sender.setDaemon(true); // a wedged server leaves it blocked in a write
                sender.start();
                senders.add(sender);
            }

            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
            while (SlowEndpoint.HANDLED.get() < CLIENTS * MESSAGES && System.nanoTime() < deadline) {
                assertNull(watch.deadlock());
                Thread.sleep(20);
            }
            assertNull(watch.deadlock());
            for (int c = 0; c < CLIENTS; c++) {
                List<Integer> received = SlowEndpoint.RECEIVED.getOrDefault(Integer.toString(c), List.of());
                assertEquals(MESSAGES, received.size(), "client " + c + ": messages handled in "
                        + DEADLINE_MILLIS + " ms");
                for (int i = 0; i < MESSAGES; i++) {
                    if (received.get(i) != i) {
                        fail("client " + c + ": message " + received.get(i) + " handled as number " + i);
                    }
                }
            }
            for (Thread sender : senders) {
                sender.join(10_000);
            }

            for (int c = 0; c < CLIENTS; c++) {
                RawWebSocket socket = sockets.get(c);
                socket.sendClose(1000);
                assertEquals(1000, socket.readUntilClose().closeCode(), "client " + c + ": the close's answer");
                assertTrue(socket.awaitDropped(30_000), "client " + c + ": TCP still open after the close");
                assertEquals(1000, SlowEndpoint.CLOSED.computeIfAbsent(Integer.toString(c),
                        key -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS).getCloseCode().getCode());
            }
            assertNull(watch.deadlock());
        }
    }

    /** Returns what it got: each reply goes out with the read that brought the message. */
    @ServerEndpoint("/echo")
    public static class EchoEndpoint {
        @OnMessage
        public byte[] echo(byte[] message) {
            return message;
        }
    }

    /**
     * Large messages both ways, as in the conformance suite's case 1.2.7, with a queue limit of two
     * messages: reading is suspended and resumed around nearly every message, for the backlog of what
     * came in and for that of the replies, while the peer keeps sending, so Tomcat has input to report
     * at every resume. Every byte must come back as sent, in order, on every connection.
     */
    @Test
    void largeMessagesComeBackByteForByteWhileReadingIsSuspendedAndResumed() throws Exception {
        int clients = 4;
        int messages = 150;
        int size = 64 * 1024;
        tomcat = EmbeddedTomcat.start(baseDir,
                Map.of(BreakwaterServletContainerInitializer.MAX_QUEUED_BYTES_PARAMETER, Integer.toString(2 * size)),
                EchoEndpoint.class);
        try (DeadlockWatch watch = new DeadlockWatch()) {
            List<CompletableFuture<String>> verdicts = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                RawWebSocket socket = RawWebSocket.open(tomcat.port(), "/app/echo");
                sockets.add(socket);
                Thread sender = new Thread(() -> {
                    try {
                        for (int i = 0; i < messages; i++) {
                            socket.send(true, 0, RawWebSocket.BINARY, numbered(i, size));
                        }
                    } catch (IOException e) {
                        // the reader reports what did not come back
                    }
                }, "sender-" + c);
                sender.setDaemon(true);
                sender.start();
                verdicts.add(CompletableFuture.supplyAsync(() -> readEchoes(socket, messages, size)));
            }
            for (int c = 0; c < clients; c++) {
                assertEquals("all " + messages + " came back as sent", verdicts.get(c).get(120, TimeUnit.SECONDS),
                        "client " + c);
            }
            assertNull(watch.deadlock());
            for (RawWebSocket socket : sockets) {
                socket.sendClose(1000);
                assertEquals(1000, socket.readUntilClose().closeCode());
            }
        }
    }

    /** Message {@code number}: its number, then bytes that differ from those of any other message. */
    private static byte[] numbered(int number, int size) {
        byte[] message = new byte[size];
        java.nio.ByteBuffer.wrap(message).putInt(number);
        for (int i = 4; i < size; i++) {
            message[i] = (byte) (i * 31 + number * 7);
        }
        return message;
    }

    /** Reads the echoes and says how they differ from what was sent, if they do. */
    private static String readEchoes(RawWebSocket socket, int messages, int size) {
        try {
            for (int i = 0; i < messages; i++) {
                ByteArrayOutputStream message = new ByteArrayOutputStream();
                RawWebSocket.Frame frame;
                do {
                    frame = socket.read();
                    if (frame.opcode() == RawWebSocket.CLOSE) {
                        return "closed after " + i + " echoes: " + frame.closeCode();
                    }
                    message.writeBytes(frame.payload());
                } while (!frame.fin());
                if (!java.util.Arrays.equals(numbered(i, size), message.toByteArray())) {
                    return "echo " + i + " differs from message " + i + " (" + message.size() + " bytes)";
                }
            }
            return "all " + messages + " came back as sent";
        } catch (IOException e) {
            return "reading the echoes failed: " + e;
        }
    }

    /** Sends the numbers as text messages, many frames to a write, as fast as the server takes them. */
    private static void sendAll(RawWebSocket socket) {
        try {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < MESSAGES; i++) {
                batch.writeBytes(RawWebSocket.frame(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8(Integer.toString(i))));
                if (batch.size() >= 8 * 1024 || i == MESSAGES - 1) {
                    socket.sendRaw(batch.toByteArray());
                    batch.reset();
                }
            }
        } catch (IOException e) {
            // the test reports the messages that did not arrive
        }
    }
}
