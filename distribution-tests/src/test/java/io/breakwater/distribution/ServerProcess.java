package io.breakwater.distribution;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A servlet container started from its distribution as a process of its own, its output in a log file.
 * {@link #close} ends it and whatever it started, also when the test failed; a shutdown hook does the same if
 * the test JVM is stopped before that.
 */
final class ServerProcess implements AutoCloseable {

    /** A cold JVM that unpacks a WAR and scans it takes seconds; this only bounds a start that went wrong. */
    private static final Duration START_LIMIT = Duration.ofSeconds(90);

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread reaper;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.reaper = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts {@code command} in {@code directory} with {@code environment} added to this JVM's, and waits until
     * {@code page} answers 200.
     */
    static ServerProcess start(String name, Path directory, List<String> command, Map<String, String> environment,
                               URI page) throws IOException, InterruptedException {
        Path log = directory.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        ServerProcess server = new ServerProcess(name, builder.start(), log);
        try {
            server.awaitServing(page);
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Runs {@code command} in {@code directory} to its end (a few seconds at most) and returns its output. */
    static Result run(Path directory, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile(directory.getParent(), "command", ".out");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end:\n" + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** What a command that ran to its end exited with and printed. */
    record Result(int exitCode, String output) {
    }

    private void awaitServing(URI page) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended with " + process.exitValue() + " before serving " + page
                        + ":\n" + output());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(page)
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
                // Jetty and Tomcat open their connectors once the applications are deployed: this is final.
                throw new AssertionError(name + " answered " + page + " with " + response.statusCode() + ":\n"
                        + output());
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not serve " + page + " within " + START_LIMIT + ":\n" + output());
    }

    /** Everything the process printed so far. */
    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    /** Ends the server's processes: politely (SIGTERM, so that it stops as on Ctrl-C), then forcibly. */
    private void stop() {
        List<ProcessHandle> started = process.descendants().toList();
        process.destroy();
        started.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
