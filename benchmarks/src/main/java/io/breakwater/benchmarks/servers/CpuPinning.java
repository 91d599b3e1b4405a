package io.breakwater.benchmarks.servers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the server on one core and the load generator on another with {@code taskset} (util-linux), so
 * that neither takes time from the other. Where {@code taskset} is missing, or the machine has one
 * core, nothing is pinned and the report says so.
 */
final class CpuPinning {

    private final boolean available;
    private final int serverCpu;
    private final int loadCpu;

    private CpuPinning(boolean available, int serverCpu, int loadCpu) {
        this.available = available;
        this.serverCpu = serverCpu;
        this.loadCpu = loadCpu;
    }

    static CpuPinning detect(int serverCpu, int loadCpu) {
        boolean taskset = runs(List.of("taskset", "-p", Long.toString(ProcessHandle.current().pid())));
        boolean twoCores = Runtime.getRuntime().availableProcessors() >= 2 && serverCpu != loadCpu;
        return new CpuPinning(taskset && twoCores, serverCpu, loadCpu);
    }

    boolean available() {
        return available;
    }

    /** Pins every thread of this JVM, the load generator, to its core; later threads inherit it. */
    void pinLoadGenerator() throws IOException {
        if (available && !runs(List.of("taskset", "-a", "-p", "-c", Integer.toString(loadCpu),
                Long.toString(ProcessHandle.current().pid())))) {
            throw new IOException("taskset could not pin the load generator to CPU " + loadCpu);
        }
    }

    /** {@code command} prefixed so that it starts on the server's core. */
    List<String> serverCommand(List<String> command) {
        List<String> pinned = new ArrayList<>();
        if (available) {
            pinned.addAll(List.of("taskset", "-c", Integer.toString(serverCpu)));
        }
        pinned.addAll(command);
        return pinned;
    }

    String describe() {
        return available
                ? "server on CPU " + serverCpu + ", load generator on CPU " + loadCpu + " (taskset)"
                : "not pinned (taskset missing, or fewer than two CPUs): figures are noisier";
    }

    private static boolean runs(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
