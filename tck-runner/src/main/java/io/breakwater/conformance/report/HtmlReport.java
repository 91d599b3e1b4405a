package io.breakwater.conformance.report;

import io.breakwater.conformance.run.CaseResult;
import java.util.List;
import java.util.Map;

/** A single self-contained page: a summary per group and role, then every case with its wire log. */
final class HtmlReport {
    private HtmlReport() {
    }

    static String render(List<CaseResult> results, String subject) {
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Conformance: ")
                .append(escape(subject)).append("</title><style>")
                .append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}")
                .append(".OK{background:#cfc}.NON-STRICT{background:#ffc}.INFORMATIONAL{background:#cef}")
                .append(".UNIMPLEMENTED{background:#ddd}.FAILED{background:#f99}pre{font-size:12px;white-space:pre-wrap}")
                .append("</style></head><body><h1>RFC 6455 / RFC 7692 conformance: ").append(escape(subject))
                .append("</h1><h2>Summary</h2><table><tr><th>group</th><th>role under test</th>");
        Map<String, Map<String, Integer>> summary = ReportWriter.summary(results);
        if (!summary.isEmpty()) {
            summary.values().iterator().next().keySet().forEach(label -> out.append("<th>").append(label).append("</th>"));
        }
        out.append("</tr>");
        summary.forEach((key, counts) -> {
            String[] parts = key.split(" ");
            out.append("<tr><td>").append(parts[0]).append("</td><td>").append(parts[1]).append("</td>");
            counts.forEach((label, count) -> out.append("<td class=\"").append(count > 0 ? label : "").append("\">")
                    .append(count).append("</td>"));
            out.append("</tr>");
        });
        out.append("</table><h2>Cases</h2><table><tr><th>case</th><th>role</th><th>outcome</th><th>description</th>")
                .append("<th>ms</th></tr>");
        for (CaseResult result : results) {
            String anchor = result.role() + "-" + result.id();
            out.append("<tr><td><a href=\"#").append(anchor).append("\">").append(result.id()).append("</a></td><td>")
                    .append(result.role()).append("</td><td class=\"").append(result.outcome().label()).append("\">")
                    .append(result.outcome().label()).append("</td><td>").append(escape(result.description()))
                    .append("</td><td>").append(result.durationMillis()).append("</td></tr>");
        }
        out.append("</table>");
        for (CaseResult result : results) {
            out.append("<h3 id=\"").append(result.role()).append('-').append(result.id()).append("\">Case ")
                    .append(result.id()).append(" (").append(result.role()).append(" under test): <span class=\"")
                    .append(result.outcome().label()).append("\">").append(result.outcome().label())
                    .append("</span></h3>")
                    .append("<p><b>Description:</b> ").append(escape(result.description())).append("</p>")
                    .append("<p><b>Expectation:</b> ").append(escape(result.expectation())).append("</p>")
                    .append("<p><b>Behaviour:</b> ").append(result.behaviourOutcome().label())
                    .append("<br>Expected: <code>").append(escape(result.expectedEvents())).append("</code>")
                    .append("<br>Observed: <code>").append(escape(result.observedEvents().toString())).append("</code></p>")
                    .append("<p><b>Closing behaviour:</b> ").append(result.closingOutcome().label()).append(" (expected ")
                    .append(escape(result.closingExpectation())).append(")</p>");
            if (!result.notes().isEmpty()) {
                out.append("<ul>");
                result.notes().forEach(note -> out.append("<li>").append(escape(note)).append("</li>"));
                out.append("</ul>");
            }
            out.append("<table>");
            result.closing().forEach((key, value) -> out.append("<tr><td>").append(escape(key)).append("</td><td>")
                    .append(escape(String.valueOf(value))).append("</td></tr>"));
            out.append("</table><details><summary>Opening handshake and wire log</summary><pre>")
                    .append(escape(result.openingHandshake())).append("\n");
            result.wireLog().forEach(line -> out.append(escape(line)).append('\n'));
            out.append("</pre></details>");
        }
        return out.append("</body></html>\n").toString();
    }

    private static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
