package io.breakwater.benchmarks.servers;

/** What the results report, one figure per server and round; the names are those of latest.json. */
enum Metric {
    TEXT64("text64", "msg/cpu-s", true, "64-byte text, 100 connections × 16 in flight"),
    TEXT64_SINGLE("text64-single", "msg/cpu-s", true, "64-byte text, 1 connection × 1 in flight"),
    BINARY64K("binary64k", "MB/cpu-s", true, "64 KiB binary, 32 connections × 2 in flight"),
    DEFLATE64("deflate64", "msg/cpu-s", true, "permessage-deflate, 64-byte JSON-like text, 100 connections × 16"),
    DEFLATE4K("deflate4k", "msg/cpu-s", true, "permessage-deflate, ~4 KiB JSON text, 32 connections × 4"),
    LATENCY_P50("latency-p50", "µs", false, "round trip at a fixed open-loop rate, median, from the due time"),
    LATENCY_P99("latency-p99", "µs", false, "round trip at a fixed open-loop rate, 99th percentile"),
    IDLE_HEAP("idle-heap", "KiB/conn", false, "heap after GC per idle connection, fresh JVM");

    private final String id;
    private final String unit;
    private final boolean higherIsBetter;
    private final String description;

    Metric(String id, String unit, boolean higherIsBetter, String description) {
        this.id = id;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.description = description;
    }

    String id() {
        return id;
    }

    String unit() {
        return unit;
    }

    boolean higherIsBetter() {
        return higherIsBetter;
    }

    String description() {
        return description;
    }

    static Metric byId(String id) {
        for (Metric metric : values()) {
            if (metric.id.equals(id.trim())) {
                return metric;
            }
        }
        throw new IllegalArgumentException("no scenario named " + id);
    }
}
