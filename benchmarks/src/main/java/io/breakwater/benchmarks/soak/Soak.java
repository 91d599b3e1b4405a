package io.breakwater.benchmarks.soak;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The soak: many connections echo numbered messages for a fixed time against one server; then every
 * message must have come back exactly once and in order, every connection must have ended with a clean
 * close handshake, and the server's heap (after GC) and thread count must return to where they were
 * before the connections opened: the levels of the idle server, measured before any connection. Pools
 * that grew under load shrink after their idle time (Jetty's threads and Breakwater's callback threads
 * after 60 s), so the return is awaited for up to {@code settle}.
 */
final class Soak {

    /**
     * @param echo            the server's echo endpoint, or null to start Breakwater in embedded Jetty here
     * @param settle          how long the server may take to return to its starting levels
     * @param heapTolerance   bytes of heap above the starting level still counted as returned
     * @param threadTolerance threads above the starting level still counted as returned
     */
    record Settings(URI echo, int connections, List<InetAddress> sources, Duration echoTime, int window,
                    int payloadBytes, Duration settle, long heapTolerance, int threadTolerance) {
    }

    /** The figures of one soak and whether it passed. */
    record Report(SoakClient.Result result, ServerStats before, ServerStats after, Duration settled,
                  boolean returned) {
        boolean passed() {
            return result.exactlyOnceInOrder() && returned;
        }

        String describe() {
            StringBuilder text = new StringBuilder();
            text.append(String.format("connections: %d opened in %.1f s, %d closed cleanly in %.1f s%n",
                    result.opened(), seconds(result.openTime()), result.closedCleanly(), seconds(result.closeTime())));
            text.append(String.format("messages: %d sent, %d received in %.1f s of echo (%.0f echoes/s); "
                            + "exactly once and in order: %s%n", result.sent(), result.received(),
                    seconds(result.echoTime()), result.received() / Math.max(0.001, seconds(result.echoTime())),
                    result.exactlyOnceInOrder() ? "yes" : "NO"));
            text.append(String.format("server heap after GC: %.1f MiB before, %.1f MiB after%n",
                    before.heapBytes() / 1048576.0, after.heapBytes() / 1048576.0));
            text.append(String.format("server threads: %d before, %d after%n", before.threads(), after.threads()));
            text.append(String.format("server sessions after: %d; back to the starting levels: %s (after %.1f s)%n",
                    after.sessions(), returned ? "yes" : "NO", seconds(settled)));
            for (String failure : result.failures()) {
                text.append("failure: ").append(failure).append('\n');
            }
            text.append(passed() ? "PASSED" : "FAILED").append('\n');
            return text.toString();
        }

        private static double seconds(Duration duration) {
            return duration.toMillis() / 1000.0;
        }
    }

    private Soak() {
    }

    static Report run(Settings settings) throws Exception {
        EchoServer local = settings.echo() == null ? EchoServer.start("127.0.0.1", 0) : null;
        try {
            URI echo = local != null ? local.echoUri() : settings.echo();
            HttpClient http = HttpClient.newHttpClient();
            ServerStats before = ServerStats.fetch(http, echo, true);
            SoakClient.Result result = new SoakClient(clientSettings(settings, echo, settings.connections(),
                    settings.echoTime())).run();
            long start = System.nanoTime();
            long deadline = start + settings.settle().toNanos();
            ServerStats after;
            boolean returned;
            while (true) {
                after = ServerStats.fetch(http, echo, true);
                returned = after.sessions() == 0
                        && after.heapBytes() <= before.heapBytes() + settings.heapTolerance()
                        && after.threads() <= before.threads() + settings.threadTolerance();
                if (returned || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(1_000);
            }
            return new Report(result, before, after, Duration.ofNanos(System.nanoTime() - start), returned);
        } finally {
            if (local != null) {
                local.close();
            }
        }
    }

    private static SoakClient.Settings clientSettings(Settings settings, URI echo, int connections, Duration time) {
        return new SoakClient.Settings(echo, connections, settings.sources(), time, settings.window(),
                settings.payloadBytes(), Duration.ofSeconds(Math.max(60, connections / 50)));
    }

    private static void awaitNoSessions(HttpClient http, URI echo, Duration limit)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (ServerStats.fetch(http, echo, false).sessions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    /** 127.0.0.2, 127.0.0.3, ... : {@code count} loopback addresses to spread connections over. */
    static List<InetAddress> loopbackSources(int count) throws IOException {
        List<InetAddress> sources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sources.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}));
        }
        return sources;
    }
}
