package io.breakwater.conformance;

import io.breakwater.conformance.cases.CaseCatalog;
import io.breakwater.conformance.report.ReportWriter;
import io.breakwater.conformance.run.FuzzingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fuzzing server, for testing any WebSocket client, as Autobahn's fuzzingserver:
 * <pre>
 * java -cp tck-runner/target/classes io.breakwater.conformance.FuzzingServerMain [--port 9001] [--cases ...]
 * </pre>
 * The client asks {@code /getCaseCount}, connects to {@code /runCase?case=N} for N = 1..count,
 * echoing every message, then to {@code /updateReports}, which writes the reports.
 */
public final class FuzzingServerMain {
    private FuzzingServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        AtomicReference<FuzzingServer> server = new AtomicReference<>();
        Runnable writeReports = () -> {
            try {
                ReportWriter.write(options.out, server.get().results(), "client under test");
                System.out.println("report: " + options.out.toAbsolutePath().resolve("index.html"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        server.set(new FuzzingServer(CaseCatalog.select(options.cases), InetAddress.getLoopbackAddress(),
                options.port, options.timeout,
                result -> System.out.printf("%-8s %-13s %5d ms%n", result.id(), result.outcome().label(),
                        result.durationMillis()), writeReports));
        System.out.println("fuzzing server on ws://127.0.0.1:" + server.get().port() + " (/getCaseCount, "
                + "/runCase?case=N, /updateReports)");
        Thread.currentThread().join();
    }
}
