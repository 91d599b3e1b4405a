package io.breakwater.conformance.run;

import io.breakwater.conformance.cases.Outcome;
import java.util.List;
import java.util.Map;

/**
 * What one case found in one role.
 *
 * @param id the case number
 * @param role the role of the implementation under test: {@code server} when the fuzzing client ran
 *        the case against a server, {@code client} when a client ran it against the fuzzing server
 * @param outcome the verdict: the worse of the behaviour and the closing behaviour
 * @param closing the closing behaviour table (Autobahn's keys)
 */
public record CaseResult(String id, String role, String description, String expectation, Outcome outcome,
                         Outcome behaviourOutcome, String expectedEvents, List<String> observedEvents,
                         Outcome closingOutcome, String closingExpectation, Map<String, Object> closing,
                         List<String> notes, String openingHandshake, List<String> wireLog, long durationMillis) {

    /** The fuzzer's role: the opposite of the role under test. */
    public String fuzzerRole() {
        return role.equals("server") ? "client" : "server";
    }
}
