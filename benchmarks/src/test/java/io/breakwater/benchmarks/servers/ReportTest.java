package io.breakwater.benchmarks.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static Results twoRounds() {
        Results results = new Results();
        results.add(new Measurement(1, Peer.BREAKWATER, Metric.TEXT64, 120.0, null, Map.of("attempts", 1)));
        results.add(new Measurement(1, Peer.JETTY, Metric.TEXT64, 100.0, null, Map.of()));
        results.add(new Measurement(2, Peer.BREAKWATER, Metric.TEXT64, 150.0, null, Map.of()));
        results.add(new Measurement(2, Peer.JETTY, Metric.TEXT64, 100.0, null, Map.of()));
        results.add(new Measurement(1, Peer.BREAKWATER, Metric.IDLE_HEAP, 4.0, null, Map.of()));
        results.add(new Measurement(1, Peer.JETTY, Metric.IDLE_HEAP, 10.0, null, Map.of()));
        results.add(Measurement.missing(1, Peer.JETTY, Metric.DEFLATE4K, "permessage-deflate not negotiated"));
        results.add(new Measurement(1, Peer.BREAKWATER, Metric.DEFLATE4K, 50.0, null, Map.of()));
        return results;
    }

    @Test
    void ratiosArePerRoundBreakwaterOverPeer() {
        Spread ratio = twoRounds().ratios(Metric.TEXT64, Peer.JETTY);
        assertEquals(1.35, ratio.median(), 1e-9);
        assertEquals(1.2, ratio.min(), 1e-9);
        assertEquals(1.5, ratio.max(), 1e-9);
    }

    @Test
    void jsonHoldsScenarioServerMedianAndRatiosByPeer() {
        Report report = new Report(twoRounds(), List.of(Peer.BREAKWATER, Peer.JETTY),
                List.of(Metric.TEXT64, Metric.DEFLATE4K, Metric.IDLE_HEAP), Report.map("date", "today"));
        String json = report.json().replaceAll("\\s+", "");
        assertTrue(json.contains("\"scenarios\":{\"text64\":{\"breakwater\":{\"median\":135,\"min\":120,\"max\":150,"
                + "\"rounds\":2,\"unit\":\"msg/cpu-s\"},\"jetty\":{\"median\":100"), json);
        assertTrue(json.contains("\"ratios\":{\"text64\":{\"jetty\":{\"median\":1.35,\"min\":1.2,\"max\":1.5,\"rounds\":2}}"), json);
        assertTrue(json.contains("\"jetty\":{\"median\":null,\"unit\":\"msg/cpu-s\",\"note\":\"permessage-deflatenotnegotiated\"}"), json);
        assertTrue(json.contains("\"target\":\"text64:Breakwater≥1.2×jetty\""), json);
        assertTrue(json.contains("\"median_ratio\":0.4,\"met\":true"), json); // idle heap: lower is better
    }

    @Test
    void markdownMarksMissingFiguresAndTargets() {
        Report report = new Report(twoRounds(), List.of(Peer.BREAKWATER, Peer.JETTY),
                List.of(Metric.TEXT64, Metric.DEFLATE4K), Report.map("date", "today"));
        String md = report.markdown();
        assertTrue(md.contains("| text64 | msg/cpu-s | 135 | 100 |"), md);
        assertTrue(md.contains("| deflate4k | msg/cpu-s | 50.0 | — ¹ |"), md);
        assertTrue(md.contains("| text64 | higher | 1.35 [1.20 – 1.50] |"), md);
        assertTrue(md.contains("| text64: Breakwater ≥ 1.2× jetty | 1.35 [1.20 – 1.50] | met |"), md);
        assertTrue(md.contains("- jetty, deflate4k: permessage-deflate not negotiated"), md);
    }

    @Test
    void breakwaterInTomcatIsComparedWithTomcatsOwnProviderRoundByRound() {
        Results results = new Results();
        results.add(new Measurement(1, Peer.BREAKWATER_TOMCAT, Metric.TEXT64, 300.0, null, Map.of()));
        results.add(new Measurement(1, Peer.TOMCAT, Metric.TEXT64, 100.0, null, Map.of()));
        results.add(new Measurement(2, Peer.BREAKWATER_TOMCAT, Metric.TEXT64, 200.0, null, Map.of()));
        results.add(new Measurement(2, Peer.TOMCAT, Metric.TEXT64, 100.0, null, Map.of()));
        results.add(new Measurement(1, Peer.BREAKWATER, Metric.TEXT64, 400.0, null, Map.of()));
        Report report = new Report(results, List.of(Peer.BREAKWATER, Peer.BREAKWATER_TOMCAT, Peer.TOMCAT),
                List.of(Metric.TEXT64), Report.map("date", "today"));
        String md = report.markdown();
        assertTrue(md.contains("| Scenario | better | breakwater-tomcat ÷ tomcat |"), md);
        assertTrue(md.contains("| text64 | higher | 2.50 [2.00 – 3.00] |"), md);
        // Breakwater in Jetty is compared with the other providers only, not with itself in Tomcat.
        assertTrue(md.contains("| Scenario | better | ÷ tomcat |"), md);
        assertTrue(md.contains("| text64 | higher | 4.00 |"), md);
        String json = report.json().replaceAll("\\s+", "");
        assertTrue(json.contains("\"breakwater_tomcat_over_tomcat\":{\"text64\":{\"median\":2.5,\"min\":2,\"max\":3,"
                + "\"rounds\":2}}"), json);
        assertEquals(Peer.BREAKWATER_TOMCAT, Peer.byId("breakwater-tomcat"));
    }

    @Test
    void jsonEscapesStringsAndWritesNonFiniteNumbersAsNull() {
        assertEquals("{\n  \"a\\\"b\": [\n    \"x\\ny\",\n    null,\n    1.5,\n    3\n  ]\n}\n",
                Json.write(Report.map("a\"b", List.of("x\ny", Double.NaN, 1.5, 3))));
    }
}
