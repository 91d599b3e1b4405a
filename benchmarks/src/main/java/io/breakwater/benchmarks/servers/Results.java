package io.breakwater.benchmarks.servers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Every measurement of a run, and what the report makes of them: per scenario and server the spread of
 * the figures over the rounds, and per scenario and peer the spread of the per-round ratios
 * Breakwater ÷ peer (a round's ratio needs both figures of that round, which ran minutes apart at most,
 * so the machine's slow drifts cancel out).
 */
final class Results {

    private final List<Measurement> measurements = Collections.synchronizedList(new ArrayList<>());

    void add(Measurement measurement) {
        measurements.add(measurement);
    }

    List<Measurement> all() {
        synchronized (measurements) {
            return List.copyOf(measurements);
        }
    }

    Spread figures(Metric metric, Peer peer) {
        List<Double> values = new ArrayList<>();
        for (Measurement m : all()) {
            if (m.metric() == metric && m.peer() == peer && m.value() != null) {
                values.add(m.value());
            }
        }
        return Spread.of(values);
    }

    /** Breakwater (in Jetty) ÷ {@code peer}, one ratio per round in which both have a figure. */
    Spread ratios(Metric metric, Peer peer) {
        return ratios(metric, Peer.BREAKWATER, peer);
    }

    /** {@code ours} ÷ {@code theirs}, one ratio per round in which both have a figure. */
    Spread ratios(Metric metric, Peer oursPeer, Peer theirsPeer) {
        List<Double> ratios = new ArrayList<>();
        for (int round : rounds()) {
            Double ours = value(metric, oursPeer, round);
            Double theirs = value(metric, theirsPeer, round);
            if (ours != null && theirs != null && theirs != 0) {
                ratios.add(ours / theirs);
            }
        }
        return Spread.of(ratios);
    }

    /** Why {@code peer} has no figure for {@code metric}, when it has none; else null. */
    String missingReason(Metric metric, Peer peer) {
        String reason = null;
        for (Measurement m : all()) {
            if (m.metric() == metric && m.peer() == peer) {
                if (m.value() != null) {
                    return null;
                }
                reason = m.note();
            }
        }
        return reason;
    }

    private Double value(Metric metric, Peer peer, int round) {
        for (Measurement m : all()) {
            if (m.metric() == metric && m.peer() == peer && m.round() == round) {
                return m.value();
            }
        }
        return null;
    }

    private List<Integer> rounds() {
        return all().stream().map(Measurement::round).filter(Objects::nonNull).distinct().sorted().toList();
    }
}
