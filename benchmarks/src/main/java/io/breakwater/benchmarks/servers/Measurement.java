package io.breakwater.benchmarks.servers;

import java.util.Map;

/**
 * One figure for one server, scenario and round; {@code value} is null when nothing could be measured
 * (deflate not negotiated, the server failed), and {@code note} then says why. {@code details} hold what
 * explains the figure (wall-clock rate, CPU shares, attempts), for latest.json.
 */
record Measurement(int round, Peer peer, Metric metric, Double value, String note, Map<String, Object> details) {

    static Measurement missing(int round, Peer peer, Metric metric, String why) {
        return new Measurement(round, peer, metric, null, why, Map.of());
    }
}
