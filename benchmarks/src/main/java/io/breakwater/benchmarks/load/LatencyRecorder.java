package io.breakwater.benchmarks.load;

import java.util.Arrays;

/**
 * Round-trip times of the messages an open-loop load generator scheduled inside a window, each measured
 * from the time the message was due to be sent, not from when it went out: a server that stalls delays
 * the messages queued behind the stall too, and they count (no coordinated omission).
 *
 * <p>Written by the load generator's thread only; read with {@link #sortedNanos()} once the generator has
 * been closed.
 */
public final class LatencyRecorder {

    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MIN_VALUE;
    private long[] samples = new long[1 << 16];
    private int count;

    /** Records messages due in [{@code startNanos}, {@code endNanos}) of {@link System#nanoTime()}. */
    public void window(long startNanos, long endNanos) {
        windowEnd = endNanos;
        windowStart = startNanos;
    }

    void record(long dueNanos, long receivedNanos) {
        if (dueNanos < windowStart || dueNanos >= windowEnd) {
            return;
        }
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = receivedNanos - dueNanos;
    }

    /** The recorded round trips, shortest first. */
    public long[] sortedNanos() {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return sorted;
    }

    /** The nearest-rank percentile ({@code fraction} in (0, 1]) of {@code sorted}, or NaN when empty. */
    public static double percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
