package io.breakwater.conformance.report;

import io.breakwater.conformance.cases.Outcome;
import io.breakwater.conformance.run.CaseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes {@code report.json} and {@code index.html} for a set of results. */
public final class ReportWriter {
    private ReportWriter() {
    }

    public static void write(Path directory, List<CaseResult> results, String subject) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("report.json"), json(results), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("index.html"), HtmlReport.render(results, subject), StandardCharsets.UTF_8);
    }

    /** One object per case and role, so that runs can be compared with a diff. */
    static String json(List<CaseResult> results) {
        List<Object> array = new ArrayList<>();
        for (CaseResult result : results) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("id", result.id());
            object.put("role", result.role());
            object.put("fuzzer", result.fuzzerRole());
            object.put("outcome", result.outcome().label());
            object.put("description", result.description());
            object.put("expectation", result.expectation());
            object.put("behavior", result.behaviourOutcome().label());
            object.put("expected", result.expectedEvents());
            object.put("observed", result.observedEvents());
            object.put("behaviorClose", result.closingOutcome().label());
            object.put("expectedClose", result.closingExpectation());
            object.put("closing", result.closing());
            object.put("notes", result.notes());
            object.put("durationMillis", result.durationMillis());
            object.put("openingHandshake", result.openingHandshake());
            object.put("wireLog", result.wireLog());
            array.add(object);
        }
        StringBuilder out = new StringBuilder();
        Json.write(array, out, "");
        return out.append('\n').toString();
    }

    /** Counts per group, role and outcome: {@code "7 server" -> {OK=40, NON-STRICT=1}}. */
    public static Map<String, Map<String, Integer>> summary(List<CaseResult> results) {
        Map<String, Map<String, Integer>> summary = new TreeMap<>((a, b) -> {
            String[] x = a.split(" ");
            String[] y = b.split(" ");
            int byGroup = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
            return byGroup != 0 ? byGroup : x[1].compareTo(y[1]);
        });
        for (CaseResult result : results) {
            String group = result.id().substring(0, result.id().indexOf('.'));
            summary.computeIfAbsent(group + " " + result.role(), key -> {
                Map<String, Integer> counts = new LinkedHashMap<>();
                for (Outcome outcome : Outcome.values()) {
                    counts.put(outcome.label(), 0);
                }
                return counts;
            }).merge(result.outcome().label(), 1, Integer::sum);
        }
        return summary;
    }
}
