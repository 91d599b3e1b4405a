package io.breakwater.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.conformance.cases.CaseCatalog;
import io.breakwater.conformance.cases.ConformanceCase;
import io.breakwater.conformance.cases.Outcome;
import io.breakwater.conformance.run.CaseResult;
import io.breakwater.conformance.run.FuzzingServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fuzzing server's Autobahn-style URLs, driven by another client than Breakwater's: the JDK's
 * {@code java.net.http.WebSocket}, echoing as a testee client does.
 */
class FuzzingServerProtocolTest {

    /** Echoes whole messages; collects the first text message. */
    private static final class JdkEcho implements WebSocket.Listener {
        final CompletableFuture<String> firstText = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            ws.request(1);
            if (!last) {
                return null;
            }
            String message = text.toString();
            text.setLength(0);
            firstText.complete(message);
            return ws.sendText(message, true);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
            joined.put(binary).put(data).flip();
            binary = joined;
            ws.request(1);
            if (!last) {
                return null;
            }
            ByteBuffer message = binary;
            binary = ByteBuffer.allocate(0);
            return ws.sendBinary(message, true);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }
    }

    @Test
    void caseCountRunCaseByIndexAndUpdateReports() throws Exception {
        List<ConformanceCase> cases = CaseCatalog.select("1.*");
        CountDownLatch reportsAsked = new CountDownLatch(1);
        try (FuzzingServer server = new FuzzingServer(cases, InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(5),
                r -> { }, reportsAsked::countDown)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "ws://127.0.0.1:" + server.port();
            JdkEcho count = new JdkEcho();
            http.newWebSocketBuilder().buildAsync(URI.create(base + "/getCaseCount"), count).get(10, TimeUnit.SECONDS);
            assertEquals(Integer.toString(cases.size()), count.firstText.get(10, TimeUnit.SECONDS));
            assertEquals(1000, count.closed.get(10, TimeUnit.SECONDS));

            for (int i = 1; i <= cases.size(); i++) {
                JdkEcho echo = new JdkEcho();
                http.newWebSocketBuilder().buildAsync(URI.create(base + "/runCase?case=" + i + "&agent=jdk"), echo)
                        .get(10, TimeUnit.SECONDS);
                CaseResult result = server.awaitResult(cases.get(i - 1).id(), Duration.ofSeconds(30));
                assertEquals("client", result.role());
                assertEquals(Outcome.OK, result.outcome(), result.id() + " " + result.notes());
            }

            http.newWebSocketBuilder().buildAsync(URI.create(base + "/updateReports?agent=jdk"), new JdkEcho())
                    .get(10, TimeUnit.SECONDS);
            assertTrue(reportsAsked.await(10, TimeUnit.SECONDS));
        }
    }
}
