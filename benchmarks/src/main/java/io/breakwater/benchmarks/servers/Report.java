package io.breakwater.benchmarks.servers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * latest.json and latest.md from the {@link Results} of a run. In the JSON, {@code scenarios} and
 * {@code ratios} hold exactly scenario → server → figures, so that a reader can iterate them; what the
 * scenarios mean, the run's settings, the targets and every single measurement are beside them.
 */
final class Report {

    private final Results results;
    private final List<Peer> peers;
    private final List<Metric> metrics;
    private final Map<String, Object> run;

    /**
     * @param run what the run was: date, command, machine, settings; written as it is, in order
     */
    Report(Results results, List<Peer> peers, List<Metric> metrics, Map<String, Object> run) {
        this.results = results;
        this.peers = peers;
        this.metrics = metrics;
        this.run = run;
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("run", run);
        Map<String, Object> about = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            about.put(metric.id(), map("unit", metric.unit(), "better", metric.higherIsBetter() ? "higher" : "lower",
                    "description", metric.description()));
        }
        root.put("scenario_info", about);

        Map<String, Object> scenarios = new LinkedHashMap<>();
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            Map<String, Object> byServer = new LinkedHashMap<>();
            Map<String, Object> byPeer = new LinkedHashMap<>();
            for (Peer peer : peers) {
                Spread figures = results.figures(metric, peer);
                Map<String, Object> entry = spread(figures);
                entry.put("unit", metric.unit());
                String missing = results.missingReason(metric, peer);
                if (missing != null) {
                    entry.put("note", missing);
                }
                byServer.put(peer.id(), entry);
                if (!peer.isBreakwater()) {
                    byPeer.put(peer.id(), spread(results.ratios(metric, peer)));
                }
            }
            scenarios.put(metric.id(), byServer);
            ratios.put(metric.id(), byPeer);
        }
        root.put("scenarios", scenarios);
        root.put("ratios", ratios);
        if (comparesInTomcat()) {
            Map<String, Object> inTomcat = new LinkedHashMap<>();
            for (Metric metric : metrics) {
                inTomcat.put(metric.id(), spread(results.ratios(metric, Peer.BREAKWATER_TOMCAT, Peer.TOMCAT)));
            }
            root.put("breakwater_tomcat_over_tomcat", inTomcat);
        }

        List<Object> targets = new ArrayList<>();
        for (Target target : Target.FIRST_STEP) {
            if (metrics.contains(target.metric()) && peers.contains(target.peer())) {
                Spread ratio = results.ratios(target.metric(), target.peer());
                targets.add(map("target", target.describe(), "scenario", target.metric().id(),
                        "peer", target.peer().id(), "bound", target.bound(),
                        "median_ratio", ratio == null ? null : ratio.median(),
                        "met", ratio == null ? null : target.metBy(ratio.median())));
            }
        }
        root.put("targets", targets);

        List<Object> all = new ArrayList<>();
        for (Measurement m : results.all()) {
            Map<String, Object> entry = map("round", m.round(), "server", m.peer().id(), "scenario", m.metric().id(),
                    "value", m.value(), "unit", m.metric().unit());
            if (m.note() != null) {
                entry.put("note", m.note());
            }
            entry.putAll(m.details());
            all.add(entry);
        }
        root.put("measurements", all);
        return Json.write(root);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Whole servers under load\n\n");
        for (Map.Entry<String, Object> entry : run.entrySet()) {
            md.append("- ").append(entry.getKey().replace('_', ' ')).append(": ").append(entry.getValue()).append('\n');
        }
        md.append('\n');

        md.append("## Figures (median of the rounds; per server CPU-second unless the unit says otherwise)\n\n");
        tableHead(md, "Unit", peers.stream().map(Peer::id).toList());
        for (Metric metric : metrics) {
            md.append("| ").append(metric.id()).append(" | ").append(metric.unit()).append(" |");
            for (Peer peer : peers) {
                Spread figures = results.figures(metric, peer);
                String missing = results.missingReason(metric, peer);
                md.append(' ').append(figures != null ? number(figures.median()) : missing != null ? "— ¹" : "").append(" |");
            }
            md.append('\n');
        }
        md.append('\n');

        List<Peer> others = peers.stream().filter(peer -> !peer.isBreakwater()).toList();
        if (peers.contains(Peer.BREAKWATER) && !others.isEmpty()) {
            md.append("## Breakwater ÷ peer (median of the per-round ratios, [min – max])\n\n");
            tableHead(md, "better", others.stream().map(peer -> "÷ " + peer.id()).toList());
            for (Metric metric : metrics) {
                md.append("| ").append(metric.id()).append(" | ").append(metric.higherIsBetter() ? "higher" : "lower")
                        .append(" |");
                for (Peer peer : others) {
                    Spread ratio = results.ratios(metric, peer);
                    md.append(' ').append(ratio == null ? "" : ratio(ratio)).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }

        if (comparesInTomcat()) {
            md.append("## Breakwater in Tomcat ÷ Tomcat's own provider, the same embedded Tomcat"
                    + " (median of the per-round ratios, [min – max])\n\n");
            tableHead(md, "better", List.of("breakwater-tomcat ÷ tomcat"));
            for (Metric metric : metrics) {
                Spread ratio = results.ratios(metric, Peer.BREAKWATER_TOMCAT, Peer.TOMCAT);
                md.append("| ").append(metric.id()).append(" | ").append(metric.higherIsBetter() ? "higher" : "lower")
                        .append(" | ").append(ratio == null ? "" : ratio(ratio)).append(" |\n");
            }
            md.append('\n');
        }

        List<String> targetLines = new ArrayList<>();
        for (Target target : Target.FIRST_STEP) {
            if (metrics.contains(target.metric()) && peers.contains(target.peer())
                    && peers.contains(Peer.BREAKWATER)) {
                Spread ratio = results.ratios(target.metric(), target.peer());
                targetLines.add("| " + target.describe() + " | " + (ratio == null ? "not measured" : ratio(ratio))
                        + " | " + (ratio == null ? "" : target.metBy(ratio.median()) ? "met" : "**missed**") + " |");
            }
        }
        if (!targetLines.isEmpty()) {
            md.append("## Targets\n\n| Target | Breakwater ÷ peer | |\n|---|--:|---|\n");
            targetLines.forEach(line -> md.append(line).append('\n'));
            md.append('\n');
        }

        md.append("## Scenarios\n\n");
        for (Metric metric : metrics) {
            md.append("- `").append(metric.id()).append("`: ").append(metric.description()).append('\n');
        }
        List<String> notes = new ArrayList<>();
        for (Metric metric : metrics) {
            for (Peer peer : peers) {
                String missing = results.missingReason(metric, peer);
                if (missing != null) {
                    notes.add(peer.id() + ", " + metric.id() + ": " + missing);
                }
            }
        }
        if (!notes.isEmpty()) {
            md.append("\n¹ No figure:\n\n");
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        return md.toString();
    }

    /** Whether the run has both providers in Tomcat: Breakwater's and Tomcat's own. */
    private boolean comparesInTomcat() {
        return peers.contains(Peer.BREAKWATER_TOMCAT) && peers.contains(Peer.TOMCAT);
    }

    /** A scenario column, a text column and right-aligned figure columns. */
    private static void tableHead(StringBuilder md, String second, List<String> figures) {
        md.append("| Scenario | ").append(second).append(" |");
        figures.forEach(figure -> md.append(' ').append(figure).append(" |"));
        md.append("\n|---|---|").append("--:|".repeat(figures.size())).append('\n');
    }

    private static Map<String, Object> spread(Spread spread) {
        if (spread == null) {
            return map("median", null);
        }
        return map("median", spread.median(), "min", spread.min(), "max", spread.max(), "rounds", spread.count());
    }

    /** An insertion-ordered map of alternating keys and values; values may be null. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static String number(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : "%.2f", value);
    }

    private static String ratio(Spread ratio) {
        return String.format(Locale.ROOT, ratio.count() > 1 ? "%.2f [%.2f – %.2f]" : "%.2f", ratio.median(),
                ratio.min(), ratio.max());
    }
}
