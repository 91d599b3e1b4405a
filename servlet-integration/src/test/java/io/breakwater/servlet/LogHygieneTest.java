package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What Breakwater writes to the log (java.util.logging, where {@code System.Logger} goes by default) when
 * peers misbehave and when the application fails, on embedded Jetty 12.1, for endpoints without an
 * {@code @OnError} method: a peer's violations are the peer's business (DEBUG, no stack trace), an
 * application's exception is logged at WARNING once per session.
 */
@Timeout(180)
class LogHygieneTest {

    private static final int HOSTILE_CONNECTIONS = 1_000;

    /** Echoes text; has no @OnError method. */
    @ServerEndpoint("/echo")
    public static class Echo {
        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

    /** Fails on every message; has no @OnError method. */
    @ServerEndpoint("/failing")
    public static class Failing {
        @OnMessage
        public void fail(String message) {
            throw new IllegalStateException("the application failed on " + message);
        }
    }

    /** Keeps every record of Breakwater's loggers, at every level. */
    private static final class Recorder extends Handler {
        final List<LogRecord> records = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord record) {
            records.add(record);
        }

        synchronized List<LogRecord> atOrAbove(Level level) {
            return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
        }

        synchronized List<LogRecord> below(Level level) {
            return records.stream().filter(r -> r.getLevel().intValue() < level.intValue()).toList();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private final Logger breakwater = Logger.getLogger("io.breakwater");
    private final Recorder recorder = new Recorder();
    private Level previousLevel;
    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), Echo.class, Failing.class);
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
        previousLevel = breakwater.getLevel();
        breakwater.setLevel(Level.ALL); // DEBUG records are made too, to be counted
        breakwater.addHandler(recorder);
    }

    @AfterEach
    void stop() throws Exception {
        breakwater.removeHandler(recorder);
        breakwater.setLevel(previousLevel);
        server.stop();
    }

    @Test
    void aThousandPeersThatBreakTheProtocolLeaveNothingAboveDebugInTheLog() throws Exception {
        ExecutorService peers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> closes = new ArrayList<>();
            for (int i = 0; i < HOSTILE_CONNECTIONS; i++) {
                int n = i;
                closes.add(peers.submit(() -> hostile(n)));
            }
            for (Future<Integer> close : closes) {
                int code = close.get(60, TimeUnit.SECONDS);
                assertTrue(code == 1002 || code == 1007, "each is answered with its close code: " + code);
            }
        } finally {
            peers.shutdownNow();
        }
        assertEquals(List.of(), messages(recorder.atOrAbove(Level.INFO)),
                "nothing a default configuration writes");
        List<LogRecord> debug = recorder.below(Level.INFO);
        assertTrue(debug.size() <= 2 * HOSTILE_CONNECTIONS, debug.size() + " debug records");
        assertTrue(debug.stream().allMatch(r -> r.getThrown() == null), "no stack traces, even at debug");
    }

    /** Breaks a rule: a frame with a reserved bit (RFC 6455 §5.2, 1002), or invalid UTF-8 (§8.1, 1007). */
    private int hostile(int n) throws Exception {
        try (RawWebSocket peer = RawWebSocket.open(port, "/echo")) {
            if (n % 2 == 0) {
                peer.send(true, 0x4, RawWebSocket.TEXT, RawWebSocket.utf8("reserved bit"));
            } else {
                peer.send(true, 0, RawWebSocket.TEXT, new byte[] {(byte) 0xC3, (byte) 0x28});
            }
            byte[] close = peer.readUntilClose().payload();
            return ((close[0] & 0xFF) << 8) | (close[1] & 0xFF);
        }
    }

    @Test
    void anApplicationThatFailsOnEveryMessageIsLoggedAtWarningOncePerSession() throws Exception {
        for (int session = 0; session < 2; session++) {
            JdkTextListener listener = new JdkTextListener();
            WebSocket client = JdkTextListener.connect(URI.create("ws://127.0.0.1:" + port + "/failing"), listener);
            for (int i = 0; i < 10; i++) {
                client.sendText("message " + i, true).get(10, TimeUnit.SECONDS);
            }
            client.sendText("last", true).get(10, TimeUnit.SECONDS);
            client.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
            listener.closed.get(20, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (recorder.below(Level.INFO).stream().filter(r -> r.getThrown() != null).count() < 18
                && System.nanoTime() < deadline) {
            Thread.sleep(20); // the later failures, at DEBUG, show that every message was handled
        }
        List<LogRecord> warnings = recorder.atOrAbove(Level.WARNING);
        assertEquals(2, warnings.size(), messages(warnings).toString());
        for (LogRecord warning : warnings) {
            assertTrue(warning.getThrown() instanceof IllegalStateException, String.valueOf(warning.getThrown()));
            assertTrue(warning.getMessage().contains(Failing.class.getName()), warning.getMessage());
        }
    }

    private static List<String> messages(List<LogRecord> records) {
        return records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()).toList();
    }
}
