package io.breakwater.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.ProtocolException;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which thread may wait for what: the session layer's ownership rules, between two sessions in memory. */
class SessionThreadsTest {

    @Test
    void aSenderCompressingALargeMessageDoesNotHoldBackTheThreadThatReads() throws Exception {
        BlockingExtension clientExtension = new BlockingExtension();
        BlockingQueue<String> ticks = new LinkedBlockingQueue<>();
        RecordingEndpoint server = new RecordingEndpoint(session -> { });
        RecordingEndpoint client = new RecordingEndpoint(session ->
                session.addMessageHandler(String.class, ticks::add));
        try (SessionPair pair = new SessionPair(client, server, List.of(), List.of(), clientExtension,
                new BlockingExtension(), 0)) {
            assertEquals("open", client.next());
            assertEquals("open", server.next());
            CompletableFuture<SendResult> large = new CompletableFuture<>();
            Thread sender = new Thread(() -> pair.client.getAsyncRemote()
                    .sendBinary(ByteBuffer.allocate(1 << 20), large::complete));
            sender.start();
            assertTrue(clientExtension.encoding.await(10, TimeUnit.SECONDS), "the large message is being encoded");

            // The client's reading thread feeds the server's messages to the engine meanwhile.
            server.session.getAsyncRemote().sendText("tick");
            assertEquals("tick", ticks.poll(10, TimeUnit.SECONDS),
                    "a message arrives while the sender compresses (the reader waited for the encoder before)");

            clientExtension.release.countDown();
            assertTrue(large.get(10, TimeUnit.SECONDS).isOK());
        }
    }

    @Test
    void aCallbackCanWaitForItsOwnSendHandlerAtTheCallbackLimit() throws Exception {
        BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
        ClassLoader[] handlerLoader = new ClassLoader[1];
        RecordingEndpoint server = new RecordingEndpoint(session -> session.addMessageHandler(String.class, text -> {
            CountDownLatch handled = new CountDownLatch(1);
            session.getAsyncRemote().sendText("reply to " + text, result -> {
                handlerLoader[0] = Thread.currentThread().getContextClassLoader();
                handled.countDown();
            });
            try {
                // The shape of fan-out code with a latch: the only callback slot is this one.
                outcomes.add(handled.await(5, TimeUnit.SECONDS) ? "handled" : "gave up");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        RecordingEndpoint client = new RecordingEndpoint(session -> { });
        try (SessionPair pair = new SessionPair(client, server, List.of(), List.of(), null, null, 1)) {
            assertEquals("open", client.next());
            pair.client.getBasicRemote().sendText("one");
            assertEquals("handled", outcomes.poll(10, TimeUnit.SECONDS));
            assertEquals(getClass().getClassLoader(), handlerLoader[0], "the handler ran with the application's loader");
        }
    }

    @Test
    void whatASendHandlerThrowsReachesOnError() throws Exception {
        RecordingEndpoint server = new RecordingEndpoint(session -> session.addMessageHandler(String.class, text ->
                session.getAsyncRemote().sendText("reply", result -> {
                    throw new IllegalStateException("from the handler");
                })));
        RecordingEndpoint client = new RecordingEndpoint(session -> { });
        try (SessionPair pair = new SessionPair(client, server)) {
            assertEquals("open", server.next());
            pair.client.getBasicRemote().sendText("one");
            assertEquals("error:IllegalStateException", server.next());
        }
    }

    @Test
    void closingWith1005SendsACloseWithoutACodeAndEndsTheSession() throws Exception {
        RecordingEndpoint server = new RecordingEndpoint(session -> { });
        RecordingEndpoint client = new RecordingEndpoint(session -> { });
        try (SessionPair pair = new SessionPair(client, server)) {
            assertEquals("open", client.next());
            assertEquals("open", server.next());
            pair.client.close(new CloseReason(CloseReason.CloseCodes.NO_STATUS_CODE, "bye"));
            assertEquals("close:1005:", server.next(), "a close frame without a body (RFC 6455 §7.1.5: 1005)");
            assertEquals("close:1005:bye", client.next(), "the endpoint hears the reason it gave");
            assertFalse(pair.client.isOpen());
        }
    }

    @Test
    void aCloseReasonTooLongIsRefusedAndTheSessionGoesOn() throws Exception {
        RecordingEndpoint server = new RecordingEndpoint(session -> session.addMessageHandler(String.class,
                text -> server(session, text)));
        BlockingQueue<String> echoes = new LinkedBlockingQueue<>();
        RecordingEndpoint client = new RecordingEndpoint(session -> session.addMessageHandler(String.class, echoes::add));
        try (SessionPair pair = new SessionPair(client, server)) {
            assertEquals("open", client.next());
            String reason = "x".repeat(124);
            IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> pair.client.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, reason)));
            assertTrue(refused.getMessage().contains("123"), refused.getMessage());
            pair.client.getBasicRemote().sendText("still open");
            assertEquals("still open", echoes.poll(10, TimeUnit.SECONDS));
            pair.client.close();
            assertNotNull(client.next());
        }
    }

    private static void server(jakarta.websocket.Session session, String text) {
        try {
            session.getBasicRemote().sendText(text);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /**
     * An extension that "compresses" a message over 1 KiB by passing it through unchanged, after waiting
     * for {@link #release}: a compression that takes as long as the test wants.
     */
    private static final class BlockingExtension implements MessageExtension {
        final CountDownLatch encoding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public int reservedBits() {
            return RSV1;
        }

        @Override
        public void decode(int rsv, ByteBuffer payload, boolean endOfMessage, PayloadSink sink)
                throws ProtocolException {
            sink.accept(payload);
        }

        @Override
        public int encodingFor(ByteBuffer firstPart, boolean endOfMessage) {
            return firstPart.remaining() > 1024 ? RSV1 : 0;
        }

        @Override
        public ByteBuffer encode(ByteBuffer part, boolean endOfMessage) {
            encoding.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ByteBuffer.allocate(part.remaining()).put(part.duplicate()).flip();
        }

        @Override
        public void release() {
        }
    }
}
