package io.breakwater.benchmarks.servers;

import io.breakwater.benchmarks.load.ClientMessages;
import io.breakwater.benchmarks.load.Connections;
import io.breakwater.benchmarks.load.EchoProbe;
import io.breakwater.benchmarks.load.ExtensionRefusedException;
import io.breakwater.benchmarks.load.LatencyRecorder;
import io.breakwater.benchmarks.load.LoadGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures one running server: the closed-loop scenarios per server CPU-second, the open-loop latency,
 * and (in a fresh server) the heap per idle connection. Every figure comes from a window of the server
 * process's own CPU time, and a window is repeated while the load generator cost too much next to the
 * server or something else ran on the machine.
 */
final class ScenarioRunner {

    private static final String PATH = "/echo";
    private static final String DEFLATE = "permessage-deflate";
    /** Time for the last due messages of a latency window to come back before the generator stops. */
    private static final Duration LATENCY_GRACE = Duration.ofMillis(500);
    /** The idle connections' server gets this long to settle before the heap is measured. */
    private static final Duration IDLE_SETTLE = Duration.ofSeconds(1);

    private final Settings settings;
    private final CpuTime cpu;
    private final PrintStream log;

    ScenarioRunner(Settings settings, CpuTime cpu, PrintStream log) {
        this.settings = settings;
        this.cpu = cpu;
        this.log = log;
    }

    /** CPU and progress at one instant of a window. */
    private record Snapshot(long nanos, long echoed, long serverTicks, long serverSystemTicks,
                            long serverSwitches, long ownTicks, long machineTicks) {
    }

    private Snapshot snapshot(ServerProcess server, LoadGenerator load) throws IOException {
        return new Snapshot(System.nanoTime(), load.echoed(), cpu.processTicks(server.pid()),
                cpu.systemTicks(server.pid()), CpuTime.contextSwitches(server.pid()),
                cpu.processTicks(ProcessHandle.current().pid()), cpu.machineBusyTicks());
    }

    /**
     * Runs {@code workload}'s load for {@code duration}, measuring nothing: before the first window of a
     * server JVM, every scenario's traffic runs once, so that no window pays for compiling the code a
     * scenario reaches first (the decoding of non-ASCII text, the deflate path) while a window before it
     * did not.
     */
    void warmUp(ServerProcess server, Workload workload, Duration duration) throws IOException, InterruptedException {
        ClientMessages messages = workload.messages();
        try (Connections connections = Connections.open(server.address(), PATH, workload.connections(),
                messages.extensionOffer(), messages.compressed() ? DEFLATE : null);
             LoadGenerator load = LoadGenerator.closedLoop(connections, messages, workload.inFlight())) {
            pause(load, duration);
        } catch (ExtensionRefusedException e) {
            // the measured window reports the refusal
        }
    }

    Measurement throughput(ServerProcess server, Workload workload, int round)
            throws IOException, InterruptedException {
        Peer peer = server.peer();
        ClientMessages messages = workload.messages();
        EchoProbe.Result probe = EchoProbe.run(server.address(), PATH, messages);
        if (messages.compressed() && !probe.deflateNegotiated()) {
            return Measurement.missing(round, peer, workload.metric(),
                    "permessage-deflate not negotiated (answer: \"" + probe.extensions() + "\")");
        }
        try (Connections connections = Connections.open(server.address(), PATH, workload.connections(),
                messages.extensionOffer(), messages.compressed() ? DEFLATE : null);
             LoadGenerator load = LoadGenerator.closedLoop(connections, messages, workload.inFlight())) {
            pause(load, settings.warmup());
            for (int attempt = 1; ; attempt++) {
                Snapshot start = snapshot(server, load);
                pause(load, settings.measurement());
                Snapshot end = snapshot(server, load);
                double seconds = (end.nanos() - start.nanos()) / 1e9;
                double serverCpu = cpu.seconds(end.serverTicks() - start.serverTicks());
                double ownCpu = cpu.seconds(end.ownTicks() - start.ownTicks());
                double otherCores = (cpu.seconds(end.machineTicks() - start.machineTicks()) - serverCpu - ownCpu) / seconds;
                long echoed = end.echoed() - start.echoed();
                double loadShare = ownCpu / serverCpu;
                boolean loadTooHigh = !Double.isNaN(workload.maxLoadShare()) && loadShare > workload.maxLoadShare();
                boolean machineBusy = otherCores > settings.maxOtherCores();
                if (serverCpu <= 0 || echoed == 0) {
                    return Measurement.missing(round, peer, workload.metric(), "no echo or no server CPU in the window");
                }
                double value = echoed * workload.unitsPerMessage() / serverCpu;
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("messages", echoed);
                details.put("window_s", round3(seconds));
                details.put("wall_msg_per_s", Math.round(echoed / seconds));
                details.put("server_cpu_cores", round3(serverCpu / seconds));
                details.put("server_kernel_share", round3(cpu.seconds(end.serverSystemTicks() - start.serverSystemTicks()) / serverCpu));
                details.put("server_context_switches_per_message",
                        round3((end.serverSwitches() - start.serverSwitches()) / (double) echoed));
                details.put("load_generator_cpu_share", round3(loadShare));
                details.put("other_cores", round3(otherCores));
                details.put("attempts", attempt);
                if (messages.compressed()) {
                    details.put("extensions", probe.extensions());
                    details.put("echoes_compressed", load.compressedEchoSeen());
                }
                String flag = loadTooHigh ? "load generator used " + percent(loadShare) + " of the server's CPU"
                        : machineBusy ? String.format(Locale.ROOT, "other programs used %.2f cores", otherCores) : null;
                log.printf(Locale.ROOT, "  %-10s %-14s %,12.0f %-9s wall %,9.0f msg/s, server %.2f cores (%s kernel, "
                                + "%.2f switches/msg), load gen %s%s%n",
                        peer.id(), workload.metric().id(), value, workload.metric().unit(), echoed / seconds,
                        serverCpu / seconds, percent((double) details.get("server_kernel_share")),
                        (double) details.get("server_context_switches_per_message"), percent(loadShare),
                        flag == null ? "" : " — " + flag);
                if (flag == null || attempt >= settings.attempts()) {
                    return new Measurement(round, peer, workload.metric(), value,
                            flag == null ? null : flag + " in all " + attempt + " windows", details);
                }
                log.println("    repeating the window: " + flag);
            }
        } catch (ExtensionRefusedException e) {
            return Measurement.missing(round, peer, workload.metric(), e.getMessage());
        }
    }

    List<Measurement> latency(ServerProcess server, int round) throws IOException, InterruptedException {
        Peer peer = server.peer();
        ClientMessages messages = Workload.latencyMessages();
        EchoProbe.run(server.address(), PATH, messages);
        LatencyRecorder recorder = new LatencyRecorder();
        long windowStart;
        try (Connections connections = Connections.open(server.address(), PATH, settings.latencyConnections(),
                null, null)) {
            LoadGenerator load = LoadGenerator.openLoop(connections, messages, settings.latencyRate(), recorder);
            try {
                pause(load, settings.warmup());
                windowStart = System.nanoTime();
                recorder.window(windowStart, windowStart + settings.measurement().toNanos());
                pause(load, settings.measurement().plus(LATENCY_GRACE));
            } finally {
                load.close();
            }
        }
        long[] sorted = recorder.sortedNanos();
        long due = Math.round(settings.latencyRate() * settings.measurement().toNanos() / 1e9);
        double p50 = LatencyRecorder.percentile(sorted, 0.50) / 1000;
        double p99 = LatencyRecorder.percentile(sorted, 0.99) / 1000;
        Map<String, Object> details = Report.map("rate_msg_per_s", settings.latencyRate(), "due", due,
                "echoed_in_time", sorted.length, "max_us", sorted.length == 0 ? null : sorted[sorted.length - 1] / 1000.0);
        // Echoes missing at the end mean the server fell behind the rate; the percentiles then flatter it.
        String note = sorted.length < due * 0.99 ? "only " + sorted.length + " of " + due
                + " messages echoed within " + LATENCY_GRACE.toMillis() + " ms of the window's end" : null;
        log.printf(Locale.ROOT, "  %-10s latency        p50 %,.0f µs, p99 %,.0f µs (%d of %d echoed)%n",
                peer.id(), p50, p99, sorted.length, due);
        return List.of(new Measurement(round, peer, Metric.LATENCY_P50, p50, note, details),
                new Measurement(round, peer, Metric.LATENCY_P99, p99, note, details));
    }

    /**
     * @param histograms where the live objects by class go, before and after, for finding what an idle
     *     connection keeps: {@code <histograms>-before.txt} and {@code -after.txt}
     */
    Measurement idleHeap(ServerProcess server, int round, Path histograms) throws IOException, InterruptedException {
        Peer peer = server.peer();
        // One echo first, so that what every server builds on its first connection is in the baseline.
        EchoProbe.run(server.address(), PATH, Workload.latencyMessages());
        Thread.sleep(IDLE_SETTLE.toMillis());
        long before = server.heapUsedAfterGc();
        Files.writeString(Path.of(histograms + "-before.txt"), server.classHistogram());
        int count = settings.idleConnections();
        try (Connections idle = Connections.open(server.address(), PATH, count, null, null)) {
            Thread.sleep(IDLE_SETTLE.toMillis());
            long after = server.heapUsedAfterGc();
            Files.writeString(Path.of(histograms + "-after.txt"), server.classHistogram());
            int closed = idle.closedByServer();
            double perConnection = (after - before) / (double) count / 1024;
            log.printf(Locale.ROOT, "  %-10s idle-heap      %.2f KiB per connection (%,d connections, %d closed by the server)%n",
                    peer.id(), perConnection, count, closed);
            Map<String, Object> details = Report.map("connections", count, "closed_by_server", closed,
                    "heap_before_mib", round3(before / 1048576.0), "heap_after_mib", round3(after / 1048576.0));
            return new Measurement(round, peer, Metric.IDLE_HEAP, perConnection,
                    closed == 0 ? null : closed + " connections were closed by the server before the heap was read",
                    details);
        }
    }

    /** Sleeps while the load runs, and stops early with the generator's failure if it has one. */
    private static void pause(LoadGenerator load, Duration duration) throws IOException, InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
            Thread.sleep(Math.max(1, Math.min(100, left / 1_000_000)));
            if (load.failure() != null) {
                throw new IOException("the load generator failed: " + load.failure().getMessage(), load.failure());
            }
        }
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
