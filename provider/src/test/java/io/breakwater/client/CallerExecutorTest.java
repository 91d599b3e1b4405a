package io.breakwater.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Session;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Threads are the user's choice: a container given an executor runs the application's callbacks there. */
class CallerExecutorTest {

    @Test
    void callbacksRunOnTheExecutorTheContainerWasGivenWhichCloseLeavesRunning() throws Exception {
        AtomicInteger count = new AtomicInteger();
        ExecutorService applicationThreads = Executors.newCachedThreadPool(runnable ->
                new Thread(runnable, "application-" + count.incrementAndGet()));
        BlockingQueue<String> ranOn = new LinkedBlockingQueue<>();
        try (RawServer server = new RawServer(key -> RawServer.concat(RawServer.switching(key, ""),
                RawServer.frame(0x1, "hello".getBytes(StandardCharsets.UTF_8))))) {
            RecordingClient client = new RecordingClient((session, self) -> {
                ranOn.add("onOpen:" + Thread.currentThread().getName());
                session.addMessageHandler(String.class, text -> {
                    ranOn.add("onMessage:" + Thread.currentThread().getName());
                    self.record("text:" + text);
                });
            });
            BreakwaterClientContainer container = new BreakwaterClientContainer(applicationThreads);
            Session session = container.connectToServer(client, ClientEndpointConfig.Builder.create().build(),
                    server.uri("/"));
            assertEquals("open", client.next());
            assertEquals("text:hello", client.next());
            for (String entry : ranOn) {
                assertTrue(entry.contains(":application-"), entry + ": not on the given executor");
            }
            session.close();
            container.close();
            assertTrue(!applicationThreads.isShutdown(), "the executor stays the caller's");
        } finally {
            applicationThreads.shutdownNow();
        }
    }
}
