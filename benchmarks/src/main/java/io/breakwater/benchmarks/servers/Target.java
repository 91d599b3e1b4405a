package io.breakwater.benchmarks.servers;

import java.util.List;
import java.util.Locale;

/**
 * A goal of issue 8 for Breakwater against a peer, on the median of the per-round ratios
 * Breakwater ÷ peer: at least {@code bound} where higher is better, at most where lower is.
 */
record Target(Metric metric, Peer peer, double bound) {

    static final List<Target> FIRST_STEP = List.of(
            new Target(Metric.TEXT64, Peer.JETTY, 1.2),
            new Target(Metric.BINARY64K, Peer.JETTY, 1.0),
            new Target(Metric.DEFLATE4K, Peer.JETTY, 1.0),
            new Target(Metric.IDLE_HEAP, Peer.JETTY, 0.8));

    boolean metBy(double ratio) {
        return metric.higherIsBetter() ? ratio >= bound : ratio <= bound;
    }

    String describe() {
        return String.format(Locale.ROOT, "%s: Breakwater %s %.1f× %s", metric.id(),
                metric.higherIsBetter() ? "≥" : "≤", bound, peer.id());
    }
}
