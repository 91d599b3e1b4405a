package io.breakwater.benchmarks.servers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How a run goes, from the command line; {@link #usage()} lists the options and their defaults. */
record Settings(
        int rounds,
        Duration jvmWarmup,
        Duration warmup,
        Duration measurement,
        int idleConnections,
        double latencyRate,
        int latencyConnections,
        double maxLoadShare,
        double maxOtherCores,
        int attempts,
        List<Peer> peers,
        List<Metric> metrics,
        Set<Peer> profiled,
        Path asyncProfiler,
        Path out,
        Path repository,
        int serverCpu,
        int loadCpu,
        boolean quick) {

    static String usage() {
        return """
                Usage: ServerBenchmarks [options]
                  --quick                one short round, a smoke check (1 s warm-up, 2 s windows, 2,000 idle connections)
                  --rounds N             rounds, each with the servers in a rotated order (default 3)
                  --jvm-warmup-seconds S each scenario's load, one after another, in a new server JVM before
                                         its first measured window (default 3)
                  --warmup-seconds S     closed-loop load before each measured window (default 3)
                  --measure-seconds S    length of each measured window (default 5)
                  --idle-connections N   connections of the idle-heap scenario (default 10000)
                  --latency-rate R       messages per second of the latency scenario (default 10000)
                  --servers a,b          among breakwater,breakwater-tomcat,jetty,tomcat,tyrus,undertow,netty (default all)
                  --scenarios a,b        among text64,text64-single,binary64k,deflate64,deflate4k,latency,idle-heap
                  --profile a,b          servers to record with JFR (settings=profile) into benchmarks/target/server-runs
                  --async-profiler LIB   with --profile: record CPU samples, native frames included, with async-profiler
                                         (LIB: its libasyncProfiler.so) as collapsed stacks instead of JFR
                  --max-load-share F     repeat a window whose load generator used more CPU than F x the server's (0.30)
                  --max-other-cores F    repeat a window during which other programs used more than F cores (0.25)
                  --attempts N           windows tried before a figure is kept with a warning (2)
                  --server-cpu C --load-cpu C   the cores to pin to (0 and 1)
                  --out DIR              where latest.json and latest.md go (default benchmarks/results)
                """;
    }

    static Settings parse(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        int rounds = quick ? 1 : 3;
        double jvmWarmup = quick ? 1 : 3;
        double warmup = quick ? 1 : 3;
        double measure = quick ? 2 : 5;
        int idle = quick ? 2000 : 10_000;
        double latencyRate = 10_000;
        double maxLoadShare = 0.30;
        double maxOtherCores = 0.25;
        int attempts = 2;
        List<Peer> peers = List.of(Peer.values());
        List<Metric> metrics = List.of(Metric.values());
        Set<Peer> profiled = EnumSet.noneOf(Peer.class);
        Path asyncProfiler = null;
        Path out = Path.of("benchmarks", "results");
        int serverCpu = 0;
        int loadCpu = 1;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--quick")) {
                continue;
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(option.equals("--help") ? "" : "unknown option or missing value: " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--jvm-warmup-seconds" -> jvmWarmup = Double.parseDouble(value);
                case "--warmup-seconds" -> warmup = Double.parseDouble(value);
                case "--measure-seconds" -> measure = Double.parseDouble(value);
                case "--idle-connections" -> idle = Integer.parseInt(value);
                case "--latency-rate" -> latencyRate = Double.parseDouble(value);
                case "--max-load-share" -> maxLoadShare = Double.parseDouble(value);
                case "--max-other-cores" -> maxOtherCores = Double.parseDouble(value);
                case "--attempts" -> attempts = Integer.parseInt(value);
                case "--server-cpu" -> serverCpu = Integer.parseInt(value);
                case "--load-cpu" -> loadCpu = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                case "--servers" -> peers = peers(value);
                case "--profile" -> profiled = EnumSet.copyOf(peers(value));
                case "--async-profiler" -> asyncProfiler = Path.of(value).toAbsolutePath();
                case "--scenarios" -> metrics = metrics(value);
                default -> throw new IllegalArgumentException("unknown option: " + option);
            }
        }
        if (rounds < 1 || attempts < 1 || idle < 1) {
            throw new IllegalArgumentException("--rounds, --attempts and --idle-connections must be at least 1");
        }
        return new Settings(rounds, seconds(jvmWarmup), seconds(warmup), seconds(measure), idle, latencyRate, 100,
                maxLoadShare, maxOtherCores, attempts, peers, metrics, profiled, asyncProfiler, out, Path.of("").toAbsolutePath(),
                serverCpu, loadCpu, quick);
    }

    private static List<Peer> peers(String list) {
        List<Peer> peers = new ArrayList<>();
        for (String id : list.split(",")) {
            peers.add(Peer.byId(id));
        }
        return peers;
    }

    /** In the order of {@link Metric}; "latency" stands for both its percentiles. */
    private static List<Metric> metrics(String list) {
        Set<Metric> chosen = EnumSet.noneOf(Metric.class);
        for (String id : list.split(",")) {
            if (id.trim().equals("latency")) {
                chosen.add(Metric.LATENCY_P50);
                chosen.add(Metric.LATENCY_P99);
            } else {
                chosen.add(Metric.byId(id));
            }
        }
        return List.copyOf(chosen);
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    boolean measuresLatency() {
        return metrics.contains(Metric.LATENCY_P50) || metrics.contains(Metric.LATENCY_P99);
    }

    /** For the report: what a reader needs to repeat or judge the run. */
    Map<String, Object> describe() {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("rounds", rounds);
        described.put("warm_up", "each scenario's load " + jvmWarmup.toMillis() / 1000.0 + " s in a new server JVM; "
                + warmup.toMillis() / 1000.0 + " s before each window");
        described.put("window_seconds", measurement.toMillis() / 1000.0);
        described.put("idle_connections", idleConnections);
        described.put("latency_load", (int) latencyRate + " msg/s open loop over " + latencyConnections
                + " connections, 64-byte text");
        described.put("repeat_when", "load generator CPU > " + maxLoadShare + " × server CPU, or other programs > "
                + maxOtherCores + " cores; at most " + attempts + " windows");
        return described;
    }
}
