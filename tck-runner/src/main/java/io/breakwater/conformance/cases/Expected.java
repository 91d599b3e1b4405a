package io.breakwater.conformance.cases;

import io.breakwater.conformance.run.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events a case expects from the peer before its Close frame, for each outcome they earn, in the
 * order tried (Autobahn's {@code {'OK': [...], 'NON-STRICT': [...]}}). Anything else is FAILED;
 * {@link io.breakwater.conformance.run.Verdict} does the comparing.
 */
public final class Expected {
    private final Map<Outcome, List<Event>> alternatives = new LinkedHashMap<>();

    private Expected() {
    }

    public static Expected ok(Event... events) {
        return new Expected().or(Outcome.OK, events);
    }

    public static Expected ok(List<Event> events) {
        Expected expected = new Expected();
        expected.alternatives.put(Outcome.OK, List.copyOf(events));
        return expected;
    }

    /** The peer answers nothing (a failed connection, or frames it must ignore). */
    public static Expected nothing() {
        return ok();
    }

    /**
     * Valid messages, then a protocol violation, sent without waiting for the echoes: OK when the
     * peer echoes them before it fails the connection, NON-STRICT when it fails the connection
     * without echoing (Autobahn's 3.2-3.4, 4.1.3-4.1.5, 4.2.3-4.2.5 and 5.15:
     * {@code expected[OK] = [echo], expected[NON_STRICT] = []}). Any other sequence, such as one
     * echo of two, is FAILED.
     */
    public static Expected echoesBeforeFailing(Event... echoes) {
        return ok(echoes).or(Outcome.NON_STRICT);
    }

    public Expected or(Outcome outcome, Event... events) {
        alternatives.put(outcome, List.of(events));
        return this;
    }

    public Map<Outcome, List<Event>> alternatives() {
        return alternatives;
    }

    /** How many events to wait for before closing: the longest alternative. */
    public int mostEvents() {
        return alternatives.values().stream().mapToInt(List::size).max().orElse(0);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        alternatives.forEach((outcome, events) -> {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(outcome.label()).append(": ").append(events);
        });
        return out.append('}').toString();
    }
}
