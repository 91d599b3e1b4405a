package io.breakwater.benchmarks.servers;

import io.breakwater.benchmarks.server.echo.Listening;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One benchmark server in a JVM of its own, on the server's core: started, asked for the port it bound
 * (every server binds port 0 and prints it), checked to own that port's listener, measured (CPU time,
 * heap after a full GC) and stopped. Its output goes to a log file.
 */
final class ServerProcess implements AutoCloseable {

    /**
     * Every server gets the same collector, chosen explicitly, and the same heap. The maximum is for
     * Tomcat, which allocates a message buffer (bytes, and chars for text) the size of the limit for each
     * connection: with limits of 16 MiB, 100 connections need about 5 GiB. The whole heap is committed
     * and touched at start: otherwise the kernel's zeroing of each page on its first use lands in the
     * windows, more so for a server that allocates more, and a window measures heap growth (seconds-long
     * pauses where the heap grows while touched), not message handling.
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseG1GC", "-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch");

    private static final long START_TIMEOUT_SECONDS = 60;
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final Peer peer;
    private final Process process;
    private final int port;

    private ServerProcess(Peer peer, Process process, int port) {
        this.peer = peer;
        this.process = process;
        this.port = port;
    }

    static ServerProcess start(Peer peer, Path repository, CpuPinning pinning, List<String> extraJvmOptions,
                               Path log) throws IOException {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(JVM_OPTIONS);
        java.addAll(extraJvmOptions);
        java.addAll(List.of("-cp", peer.classPath(repository), peer.mainClass()));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(pinning.serverCommand(java)).redirectErrorStream(true).start();
        CompletableFuture<Integer> announced = new CompletableFuture<>();
        Thread copier = new Thread(() -> copyOutput(process, log, announced), peer.id() + "-output");
        copier.setDaemon(true);
        copier.start();
        int port;
        try {
            port = announced.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException(peer.id() + " did not announce its port within " + START_TIMEOUT_SECONDS
                    + " s; see " + log, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        ServerProcess server = new ServerProcess(peer, process, port);
        if (!ListenerOwnership.owns(process.pid(), port)) {
            server.close();
            throw new IOException(peer.id() + " (pid " + process.pid() + ") announced port " + port
                    + " but holds no listening socket on it");
        }
        return server;
    }

    /** Copies the server's output to {@code log}, completing {@code announced} with the port it prints. */
    private static void copyOutput(Process process, Path log, CompletableFuture<Integer> announced) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                if (!announced.isDone() && line.startsWith(Listening.PREFIX)) {
                    announced.complete(Integer.parseInt(line.substring(Listening.PREFIX.length()).trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            announced.completeExceptionally(e);
        }
        announced.completeExceptionally(new IOException("the server exited"));
    }

    Peer peer() {
        return peer;
    }

    long pid() {
        return process.pid();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(Listening.HOST, port);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Heap in use right after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}). */
    long heapUsedAfterGc() throws IOException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new IOException("no heap figure in jcmd GC.heap_info: " + info);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    /** The live objects by class ({@code jcmd GC.class_histogram}, which collects first). */
    String classHistogram() throws IOException {
        return jcmd("GC.class_histogram");
    }

    private String jcmd(String command) throws IOException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process run = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                Long.toString(process.pid()), command).redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (run.waitFor() != 0) {
                throw new IOException("jcmd " + command + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    /** Stops the server: politely first (shutdown hooks run), then forcibly. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
