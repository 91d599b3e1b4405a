package io.breakwater.conformance;

import io.breakwater.conformance.cases.CaseCatalog;
import io.breakwater.conformance.cases.ConformanceCase;
import io.breakwater.conformance.cases.Outcome;
import io.breakwater.conformance.report.ReportWriter;
import io.breakwater.conformance.run.CaseResult;
import io.breakwater.conformance.run.FuzzingClient;
import java.net.URI;
import java.util.List;

/**
 * Runs the cases against any WebSocket server whose endpoint echoes text and binary messages:
 * <pre>
 * java -cp tck-runner/target/classes io.breakwater.conformance.FuzzingClientMain ws://localhost:8080/echo \
 *      [--cases 1.*,7.9.*] [--out target/conformance] [--timeout-ms 5000]
 * </pre>
 * Writes report.json and index.html to the output folder; exits with 1 when a case FAILED.
 */
public final class FuzzingClientMain {
    private FuzzingClientMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.positional.size() != 1) {
            System.err.println("usage: FuzzingClientMain ws://host:port/echo-path [--cases 1.*,7.9.*] "
                    + "[--out target/conformance] [--timeout-ms 5000]");
            System.exit(2);
        }
        URI target = URI.create(options.positional.get(0));
        List<ConformanceCase> cases = CaseCatalog.select(options.cases);
        List<CaseResult> results = new FuzzingClient(target, options.timeout).runAll(cases,
                result -> System.out.printf("%-8s %-13s %5d ms  %s%n", result.id(), result.outcome().label(),
                        result.durationMillis(), result.notes().isEmpty() ? "" : String.join("; ", result.notes())));
        ReportWriter.write(options.out, results, target.toString());
        ReportWriter.summary(results).forEach((group, counts) -> System.out.println("group " + group + ": " + counts));
        System.out.println("report: " + options.out.toAbsolutePath().resolve("index.html"));
        System.exit(results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED) ? 1 : 0);
    }
}
