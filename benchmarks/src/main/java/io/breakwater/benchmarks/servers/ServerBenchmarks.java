package io.breakwater.benchmarks.servers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Breakwater and its peers side by side, in one run on one machine: each server in a JVM of its own on
 * one core, the load generator on the other, rounds with the servers' order rotated, and for each
 * scenario the figures per server CPU-second and the per-round ratios Breakwater ÷ peer. Writes
 * latest.json and latest.md after every round, so that an interrupted run leaves what it measured.
 *
 * <p>Started by {@code benchmarks/run-server-benchmarks.sh}, from the repository's root, after the
 * server modules are built; {@link Settings#usage()} lists the options.
 */
public final class ServerBenchmarks {

    private ServerBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.print(Settings.usage());
            System.exit(2);
            return;
        }
        PrintStream log = System.out;
        int cpus = Runtime.getRuntime().availableProcessors();
        CpuPinning pinning = CpuPinning.detect(settings.serverCpu(), settings.loadCpu());
        if (!pinning.available()) {
            log.println("WARNING: " + pinning.describe());
        }
        pinning.pinLoadGenerator();
        for (Peer peer : settings.peers()) {
            peer.classPath(settings.repository()); // fails now, not an hour in, when a server is not built
        }

        Results results = new Results();
        Map<String, Object> run = describeRun(settings, pinning, cpus, args);
        ScenarioRunner runner = new ScenarioRunner(settings, CpuTime.fromSystem(), log);
        Path runs = settings.repository().resolve("benchmarks").resolve("target").resolve("server-runs");
        long started = System.nanoTime();
        for (int round = 1; round <= settings.rounds(); round++) {
            List<Peer> order = rotated(settings.peers(), round - 1);
            log.println("Round " + round + " of " + settings.rounds() + ": " + order);
            for (Peer peer : order) {
                loadScenarios(settings, runner, pinning, results, peer, round, runs);
            }
            if (settings.metrics().contains(Metric.IDLE_HEAP)) {
                for (Peer peer : order) {
                    idleScenario(settings, runner, pinning, results, peer, round, runs);
                }
            }
            run.put("elapsed", Duration.ofNanos(System.nanoTime() - started).truncatedTo(ChronoUnit.SECONDS)
                    .toString().substring(2).toLowerCase());
            write(settings, results, run);
        }
        Report report = new Report(results, settings.peers(), settings.metrics(), run);
        log.println();
        log.print(report.markdown());
        log.println();
        log.println("Results: " + settings.out().resolve("latest.md") + ", " + settings.out().resolve("latest.json"));
    }

    /** Every load scenario in one server JVM, after a warm-up with each scenario's traffic. */
    private static void loadScenarios(Settings settings, ScenarioRunner runner, CpuPinning pinning, Results results,
                                      Peer peer, int round, Path runs) throws InterruptedException {
        List<Workload> workloads = new ArrayList<>();
        for (Workload workload : Workload.all(settings.maxLoadShare())) {
            if (settings.metrics().contains(workload.metric())) {
                workloads.add(workload);
            }
        }
        if (workloads.isEmpty() && !settings.measuresLatency()) {
            return;
        }
        List<Metric> pending = new ArrayList<>();
        workloads.forEach(workload -> pending.add(workload.metric()));
        if (settings.measuresLatency()) {
            pending.add(Metric.LATENCY_P50);
            pending.add(Metric.LATENCY_P99);
        }
        try (ServerProcess server = ServerProcess.start(peer, settings.repository(), pinning,
                profiling(settings, peer, runs, "load-r" + round), runs.resolve(peer.id() + "-load-r" + round + ".log"))) {
            for (Workload workload : workloads) {
                runner.warmUp(server, workload, settings.jvmWarmup());
            }
            for (Workload workload : workloads) {
                results.add(runner.throughput(server, workload, round));
                pending.remove(workload.metric());
            }
            if (settings.measuresLatency()) {
                runner.latency(server, round).forEach(results::add);
                pending.clear();
            }
        } catch (IOException e) {
            System.out.println("  " + peer.id() + " failed: " + e.getMessage());
            for (Metric metric : pending) {
                results.add(Measurement.missing(round, peer, metric, "failed: " + e.getMessage()));
            }
        }
    }

    /** The idle-heap scenario, in a fresh JVM so that nothing of the load scenarios stays on its heap. */
    private static void idleScenario(Settings settings, ScenarioRunner runner, CpuPinning pinning, Results results,
                                     Peer peer, int round, Path runs) throws InterruptedException {
        try (ServerProcess server = ServerProcess.start(peer, settings.repository(), pinning, List.of(),
                runs.resolve(peer.id() + "-idle-r" + round + ".log"))) {
            results.add(runner.idleHeap(server, round, runs.resolve(peer.id() + "-idle-r" + round + "-histogram")));
        } catch (IOException e) {
            System.out.println("  " + peer.id() + " failed: " + e.getMessage());
            results.add(Measurement.missing(round, peer, Metric.IDLE_HEAP, "failed: " + e.getMessage()));
        }
    }

    private static List<String> profiling(Settings settings, Peer peer, Path runs, String name) {
        if (!settings.profiled().contains(peer)) {
            return List.of();
        }
        if (settings.asyncProfiler() != null) {
            // CPU samples of every thread, native frames (zlib, the kernel's socket calls) included,
            // which JFR's method samples leave out.
            Path stacks = runs.resolve(peer.id() + "-" + name + ".collapsed");
            return List.of("-agentpath:" + settings.asyncProfiler() + "=start,event=cpu,interval=1ms,collapsed,file="
                    + stacks);
        }
        Path recording = runs.resolve(peer.id() + "-" + name + ".jfr");
        return List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording);
    }

    static <T> List<T> rotated(List<T> items, int by) {
        List<T> order = new ArrayList<>(items);
        Collections.rotate(order, -by);
        return order;
    }

    private static Map<String, Object> describeRun(Settings settings, CpuPinning pinning, int cpus, String[] args) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("date", ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        run.put("command", ("benchmarks/run-server-benchmarks.sh " + String.join(" ", args)).trim());
        run.put("machine", cpus + " CPUs, " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        run.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        run.put("server_jvm", String.join(" ", ServerProcess.JVM_OPTIONS));
        run.put("pinning", pinning.describe());
        run.putAll(settings.describe());
        List<String> servers = new ArrayList<>();
        settings.peers().forEach(peer -> servers.add(peer.id() + ": " + peer.description()));
        run.put("servers", String.join("; ", servers));
        return run;
    }

    private static void write(Settings settings, Results results, Map<String, Object> run) throws IOException {
        Report report = new Report(results, settings.peers(), settings.metrics(), run);
        Files.createDirectories(settings.out());
        Files.writeString(settings.out().resolve("latest.json"), report.json(), StandardCharsets.UTF_8);
        Files.writeString(settings.out().resolve("latest.md"), report.markdown(), StandardCharsets.UTF_8);
    }
}
