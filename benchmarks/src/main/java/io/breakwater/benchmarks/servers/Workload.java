package io.breakwater.benchmarks.servers;

import io.breakwater.benchmarks.engine.ChatMessages;
import io.breakwater.benchmarks.load.ClientMessages;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A closed-loop scenario: how many connections, how many messages each keeps in flight, and what they
 * send. {@code maxLoadShare} is the most CPU the load generator may spend, as a share of the server's,
 * before the measurement is repeated; none (NaN) where the scenario makes both sides do the same work.
 */
record Workload(Metric metric, int connections, int inFlight, ClientMessages messages, double maxLoadShare) {

    /** Distinct messages per scenario: enough that compression sees variety, few enough to stay cached. */
    private static final int DISTINCT_MESSAGES = 64;
    private static final long SEED = 8L;

    static List<Workload> all(double maxLoadShare) {
        byte[][] short64 = ShortJson.messages(DISTINCT_MESSAGES, SEED, 64);
        return List.of(
                new Workload(Metric.TEXT64, 100, 16, ClientMessages.text(short64), maxLoadShare),
                // One message at a time costs the generator a wake-up, a read and a write per message,
                // as it costs the server: its share is high by construction, so it is reported, not limited.
                new Workload(Metric.TEXT64_SINGLE, 1, 1, ClientMessages.text(short64), Double.NaN),
                new Workload(Metric.BINARY64K, 32, 2, ClientMessages.binary(binary(4, 64 * 1024)), maxLoadShare),
                new Workload(Metric.DEFLATE64, 100, 16, ClientMessages.deflatedText(short64), maxLoadShare),
                new Workload(Metric.DEFLATE4K, 32, 4, ClientMessages.deflatedText(
                        ChatMessages.generate(DISTINCT_MESSAGES, SEED, 3584, 4608)), maxLoadShare));
    }

    /** The messages of the latency scenario: the same 64-byte text as {@code text64}. */
    static ClientMessages latencyMessages() {
        return ClientMessages.text(ShortJson.messages(DISTINCT_MESSAGES, SEED, 64));
    }

    /** Figures per message or per megabyte (10^6 bytes of messages, as the application sees them). */
    double unitsPerMessage() {
        return metric.unit().startsWith("MB") ? messages.meanPayloadBytes() / 1e6 : 1;
    }

    private static byte[][] binary(int count, int size) {
        SplittableRandom random = new SplittableRandom(SEED);
        byte[][] payloads = new byte[count][size];
        for (byte[] payload : payloads) {
            for (int i = 0; i < size; i++) {
                payload[i] = (byte) random.nextInt(256);
            }
        }
        return payloads;
    }

    /** Chat lines as short JSON objects of an exact size, in ASCII, for the 64-byte scenarios. */
    static final class ShortJson {
        private static final String[] ROOMS = {"ops", "dev", "eu", "qa", "web", "ios"};
        private static final String[] WORDS = {"deploy", "done", "ok", "lgtm", "ship", "it", "p99", "up", "cache",
            "miss", "retry", "now", "ping", "me", "later", "fixed", "flaky", "test", "merge", "main"};

        private ShortJson() {
        }

        static byte[][] messages(int count, long seed, int size) {
            SplittableRandom random = new SplittableRandom(seed);
            byte[][] messages = new byte[count][];
            for (int m = 0; m < count; m++) {
                StringBuilder json = new StringBuilder(size)
                        .append("{\"u\":").append(1000 + random.nextInt(9000))
                        .append(",\"r\":\"").append(ROOMS[random.nextInt(ROOMS.length)])
                        .append("\",\"s\":").append(100_000 + m)
                        .append(",\"t\":\"");
                while (json.length() < size - 2) {
                    json.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
                }
                json.setLength(size - 2);
                messages[m] = json.append("\"}").toString().getBytes(StandardCharsets.US_ASCII);
            }
            return messages;
        }
    }
}
