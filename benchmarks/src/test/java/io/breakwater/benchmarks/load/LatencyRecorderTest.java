package io.breakwater.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void keepsOnlyMessagesDueInTheWindowMeasuredFromTheirDueTime() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.window(1_000, 2_000);
        recorder.record(999, 5_000);   // due before the window
        recorder.record(1_000, 1_300); // 300
        recorder.record(1_500, 1_600); // 100
        recorder.record(1_999, 2_199); // 200
        recorder.record(2_000, 2_001); // due after it
        assertArrayEquals(new long[] {100, 200, 300}, recorder.sortedNanos());
    }

    @Test
    void nearestRankPercentiles() {
        long[] sorted = new long[100];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(50, LatencyRecorder.percentile(sorted, 0.50));
        assertEquals(99, LatencyRecorder.percentile(sorted, 0.99));
        assertEquals(100, LatencyRecorder.percentile(sorted, 1.0));
        assertEquals(7, LatencyRecorder.percentile(new long[] {7}, 0.99));
        assertTrue(Double.isNaN(LatencyRecorder.percentile(new long[0], 0.5)));
    }
}
