package io.breakwater.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.conformance.cases.CaseCatalog;
import io.breakwater.conformance.cases.ConformanceCase;
import io.breakwater.conformance.cases.Outcome;
import io.breakwater.conformance.report.ReportWriter;
import io.breakwater.conformance.run.CaseResult;
import io.breakwater.conformance.run.FuzzingClient;
import io.breakwater.conformance.run.FuzzingServer;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole conformance suite against Breakwater, both roles: its client against the fuzzing
 * server, its server (in Jetty 12.1 through the servlet integration) against the fuzzing client.
 * Writes tck-runner/target/conformance/report.json and index.html.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConformanceSuiteTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Path REPORT = Path.of("target", "conformance");

    private final List<ConformanceCase> cases = CaseCatalog.all();
    private final List<CaseResult> results = new ArrayList<>();

    @Test
    @Order(1)
    void breakwaterClientAgainstTheFuzzingServer() throws Exception {
        List<CaseResult> clientResults = new ArrayList<>();
        try (FuzzingServer server = new FuzzingServer(cases, InetAddress.getLoopbackAddress(), 0, TIMEOUT,
                result -> { }, () -> { })) {
            for (ConformanceCase testCase : cases) {
                BreakwaterPeers.connectEchoClient(URI.create("ws://127.0.0.1:" + server.port()
                        + "/runCase?casetuple=" + testCase.id() + "&agent=breakwater"));
                try {
                    clientResults.add(server.awaitResult(testCase.id(), TIMEOUT.multipliedBy(12)));
                } catch (TimeoutException e) {
                    throw new AssertionError("case " + testCase.id() + ": the client never connected", e);
                }
            }
        } finally {
            results.addAll(clientResults);
        }
        assertEquals(cases.size(), clientResults.size());
        assertAllPass(clientResults);
    }

    @Test
    @Order(2)
    void breakwaterServerInJettyAgainstTheFuzzingClient() throws Exception {
        Server jetty = BreakwaterPeers.startJetty();
        List<CaseResult> serverResults = new ArrayList<>();
        try {
            FuzzingClient client = new FuzzingClient(BreakwaterPeers.echoUri(jetty), TIMEOUT);
            serverResults.addAll(client.runAll(cases, result -> { }));
        } finally {
            results.addAll(serverResults);
            jetty.stop();
        }
        assertAllPass(serverResults);
    }

    /**
     * The server role again in Tomcat 11, which upgrades through the portable
     * HttpServletRequest.upgrade: the container must not change what reaches the wire. Its results
     * have a report of their own, target/conformance/tomcat, so that report.json keeps one object
     * per case and role.
     */
    @Test
    @Order(3)
    void breakwaterServerInTomcatAgainstTheFuzzingClient(@TempDir Path baseDir) throws Exception {
        Tomcat tomcat = BreakwaterPeers.startTomcat(baseDir);
        try {
            List<CaseResult> tomcatResults = new FuzzingClient(BreakwaterPeers.echoUri(tomcat), TIMEOUT)
                    .runAll(cases, result -> { });
            ReportWriter.write(REPORT.resolve("tomcat"), tomcatResults, "Breakwater's server in Tomcat 11");
            assertAllPass(tomcatResults);
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @AfterAll
    void writeReports() throws Exception {
        ReportWriter.write(REPORT, results, "Breakwater (client, and server in Jetty 12.1 ee11)");
    }

    /**
     * Every case is OK or INFORMATIONAL. NON-STRICT, which the RFC allows, fails here as FAILED does:
     * Breakwater promises what those cases check (UTF-8 fails on the first bad byte, a failed
     * connection gets a Close frame, every ping its pong, the messages that came before a protocol
     * violation are echoed before the connection is failed); nor does UNIMPLEMENTED, since Breakwater
     * accepts every permessage-deflate parameter (windows under 15 bits by compressing without
     * back-references). The message lists every case that does not pass, with its notes.
     */
    private static void assertAllPass(List<CaseResult> results) {
        List<String> problems = new ArrayList<>();
        for (CaseResult result : results) {
            boolean passes = switch (result.outcome()) {
                case OK, INFORMATIONAL -> true;
                case NON_STRICT, UNIMPLEMENTED, FAILED -> false;
            };
            if (!passes) {
                problems.add(result.id() + " (" + result.role() + " under test): " + result.outcome().label() + " "
                        + result.notes() + " observed " + result.observedEvents());
            }
        }
        Map<String, Map<String, Integer>> summary = ReportWriter.summary(results);
        assertTrue(problems.isEmpty(), problems.size() + " cases do not pass:\n" + String.join("\n", problems)
                + "\nsummary: " + summary + "\nreport: " + REPORT.toAbsolutePath());
        assertTrue(results.stream().anyMatch(r -> r.outcome() == Outcome.OK), "no case ran");
    }
}
