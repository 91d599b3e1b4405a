package io.breakwater.benchmarks.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What the soak reads from the server under test: its open WebSocket sessions, heap in use and live
 * threads, as {@code sessions=N heapBytes=N threads=N}.
 */
record ServerStats(int sessions, long heapBytes, int threads) {

    String format() {
        return "sessions=" + sessions + " heapBytes=" + heapBytes + " threads=" + threads;
    }

    static ServerStats parse(String line) {
        Map<String, String> fields = new HashMap<>();
        for (String field : line.trim().split("\\s+")) {
            String[] pair = field.split("=", 2);
            fields.put(pair[0], pair.length > 1 ? pair[1] : "");
        }
        return new ServerStats(Integer.parseInt(fields.get("sessions")), Long.parseLong(fields.get("heapBytes")),
                Integer.parseInt(fields.get("threads")));
    }

    /** Reads the stats of the server whose echo endpoint is {@code echo}; after a full GC when {@code gc}. */
    static ServerStats fetch(HttpClient http, URI echo, boolean gc) throws IOException, InterruptedException {
        URI stats = URI.create("http://" + echo.getHost() + ":" + echo.getPort() + "/stats" + (gc ? "?gc" : ""));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(stats).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(stats + " answered " + response.statusCode());
        }
        return parse(response.body());
    }

    /** Several full collections, so that what is left is what is reachable. */
    static void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
