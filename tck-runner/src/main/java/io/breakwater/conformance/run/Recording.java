package io.breakwater.conformance.run;

import java.util.List;

/**
 * What was recorded of the peer in one case, all that {@link Verdict} judges: its messages and pongs in
 * the order they arrived, where its Close frame came among them, and how the connection ended.
 *
 * @param events the peer's messages and pongs, in order
 * @param state how the connection ended; {@link CloseState#eventsBeforePeerClose()} places the peer's
 *        Close frame in {@code events}
 * @param weAreServer whether the fuzzer was the server (the peer under test a client)
 * @param endedInTime whether TCP ended within the timeout after the case
 */
public record Recording(List<Event> events, CloseState state, boolean weAreServer, boolean endedInTime) {

    public Recording {
        events = List.copyOf(events);
    }

    /** The events that came before the peer's Close frame: all of them when it sent none. */
    public List<Event> beforePeerClose() {
        int count = state.eventsBeforePeerClose();
        return count < 0 ? events : events.subList(0, Math.min(count, events.size()));
    }

    /** The events that came after the peer's Close frame (RFC 6455 §5.5.1 allows none). */
    public List<Event> afterPeerClose() {
        return events.subList(beforePeerClose().size(), events.size());
    }
}
