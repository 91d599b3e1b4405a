package io.breakwater.conformance.cases;

import io.breakwater.conformance.run.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events a case expects from the peer, for each outcome they earn, in the order tried
 * (Autobahn's {@code {'OK': [...], 'NON-STRICT': [...]}}). Anything else is FAILED.
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

    /** The outcome the observed events earn, FAILED when they match no alternative. */
    public Outcome judge(List<Event> observed) {
        for (Map.Entry<Outcome, List<Event>> alternative : alternatives.entrySet()) {
            if (alternative.getValue().equals(observed)) {
                return alternative.getKey();
            }
        }
        return Outcome.FAILED;
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
