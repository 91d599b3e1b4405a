package io.breakwater.benchmarks.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time from Linux's {@code /proc}, in clock ticks ({@code getconf CLK_TCK}, normally 100 a second):
 * a process's user plus system time, and the whole machine's busy time, for telling whether something
 * else ran during a measurement.
 */
final class CpuTime {

    private final double ticksPerSecond;

    private CpuTime(double ticksPerSecond) {
        this.ticksPerSecond = ticksPerSecond;
    }

    static CpuTime fromSystem() {
        return new CpuTime(clockTicksPerSecond());
    }

    double seconds(long ticks) {
        return ticks / ticksPerSecond;
    }

    /** utime + stime of {@code pid}, all its threads. */
    long processTicks(long pid) throws IOException {
        return processTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII));
    }

    /** stime alone: the kernel's share of a process's time, mostly its socket calls. */
    long systemTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +")[12]);
    }

    /**
     * Context switches of every thread of {@code pid} so far, voluntary and not: a server that hands each
     * message from thread to thread pays for it here, on one core more than anywhere.
     */
    static long contextSwitches(long pid) throws IOException {
        long switches = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                List<String> status;
                try {
                    status = Files.readAllLines(task.resolve("status"), StandardCharsets.US_ASCII);
                } catch (IOException threadEnded) {
                    continue;
                }
                for (String line : status) {
                    if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                        switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
            }
        }
        return switches;
    }

    /**
     * From a {@code /proc/<pid>/stat} line: fields 14 and 15 (proc(5)). The command name, field 2, is in
     * parentheses and may hold spaces and parentheses itself, so fields are counted after the last ')'.
     */
    static long processTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The whole machine's busy ticks so far (user, nice, system and steal), from {@code /proc/stat}. */
    long machineBusyTicks() throws IOException {
        return machineBusyTicks(Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0));
    }

    /**
     * From the first line of {@code /proc/stat}: user nice system idle iowait irq softirq steal. Interrupt
     * time is left out, because the kernel may or may not charge our own loopback traffic to it; steal is
     * in, because it is another guest on our cores.
     */
    static long machineBusyTicks(String cpuLine) {
        String[] fields = cpuLine.trim().split(" +");
        if (!fields[0].equals("cpu")) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
        }
        long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
        return Long.parseLong(fields[1]) + Long.parseLong(fields[2]) + Long.parseLong(fields[3]) + steal;
    }

    private static double clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor() == 0) {
                return Double.parseDouble(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to Linux's fixed user-visible value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
