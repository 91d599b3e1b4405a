package io.breakwater.benchmarks.servers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The median, minimum and maximum of a few figures, one per round. */
record Spread(double median, double min, double max, int count) {

    /** Null when there is no figure. */
    static Spread of(List<Double> figures) {
        if (figures.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(figures);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(median, sorted.get(0), sorted.get(n - 1), n);
    }
}
