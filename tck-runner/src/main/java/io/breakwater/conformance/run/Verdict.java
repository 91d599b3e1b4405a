package io.breakwater.conformance.run;

import io.breakwater.conformance.cases.Closing;
import io.breakwater.conformance.cases.Expected;
import io.breakwater.conformance.cases.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place where a case's verdict is reached, the same in both roles: from what the case
 * expects and what was {@link Recording recorded} of the peer, with no I/O, so that it can be fed
 * recorded sequences directly.
 *
 * <p>Behaviour: the peer's messages and pongs <em>before its Close frame</em> are compared with the
 * case's {@link Expected} alternatives in order; the first that is equal gives the behaviour's
 * outcome, none gives FAILED. An event after the peer's Close is FAILED whatever it is (RFC 6455
 * §5.5.1), so an expected echo that arrives after the Close, or never, cannot make a case OK: where
 * a case lists the echo for OK and nothing for NON-STRICT (Autobahn's 3.2-3.4, 4.1.3-4.1.5,
 * 4.2.3-4.2.5, 5.15), a peer that fails the connection correctly but does not echo first gets
 * NON-STRICT.
 *
 * <p>Closing behaviour: no protocol violation by the peer, a Close frame from the peer with one of
 * the expected codes, and TCP ended by the server in time (RFC 6455 §7). Where the peer must fail
 * the connection, dropping TCP without a Close is NON-STRICT (§7.1.7: it SHOULD send one).
 *
 * <p>The case's outcome is the worst of the behaviour, the closing behaviour and what the script
 * itself found.
 */
public final class Verdict {

    /**
     * @param outcome the case's verdict
     * @param behaviour the events' verdict
     * @param closing the closing behaviour's verdict
     * @param notes the script's notes, then why the behaviour or the closing is not OK
     */
    public record Result(Outcome outcome, Outcome behaviour, Outcome closing, List<String> notes) {
    }

    private Verdict() {
    }

    /**
     * @param expected the case's expected events, or null when the case could not run (UNIMPLEMENTED
     *        comes in through {@code scriptOutcome}) and its events are not judged
     * @param closing how the connection should end
     * @param timeout the bound the runner waited with, for the notes
     * @param scriptOutcome what the case's script found itself (OK when nothing)
     * @param scriptNotes the script's notes, first in the result's
     */
    public static Result judge(Expected expected, Closing closing, Recording recording, Duration timeout,
                               Outcome scriptOutcome, List<String> scriptNotes) {
        List<String> notes = new ArrayList<>(scriptNotes);
        Outcome behaviour = expected == null ? Outcome.OK : behaviour(expected, recording, notes);
        Outcome closingOutcome = closing(closing, recording, timeout, notes);
        return new Result(behaviour.worst(closingOutcome).worst(scriptOutcome), behaviour, closingOutcome,
                List.copyOf(notes));
    }

    /** The events before the peer's Close against the alternatives; anything after its Close fails. */
    static Outcome behaviour(Expected expected, Recording recording, List<String> notes) {
        List<Event> afterClose = recording.afterPeerClose();
        if (!afterClose.isEmpty()) {
            notes.add("the peer sent " + afterClose + " after its Close frame (RFC 6455 §5.5.1); expected "
                    + expected + " before it");
            return Outcome.FAILED;
        }
        List<Event> observed = recording.beforePeerClose();
        String where = recording.state().closeReceived() ? " before the peer's Close" : " (the peer sent no Close)";
        for (Map.Entry<Outcome, List<Event>> alternative : expected.alternatives().entrySet()) {
            if (alternative.getValue().equals(observed)) {
                Outcome outcome = alternative.getKey();
                if (outcome == Outcome.NON_STRICT) {
                    notes.add("observed " + observed + where + ": NON-STRICT; OK needs "
                            + expected.alternatives().get(Outcome.OK) + " before it");
                }
                return outcome;
            }
        }
        notes.add("observed " + observed + where + ", expected " + expected);
        return Outcome.FAILED;
    }

    /** The closing behaviour (RFC 6455 §7). */
    static Outcome closing(Closing expected, Recording recording, Duration timeout, List<String> notes) {
        CloseState state = recording.state();
        if (state.peerViolation() != null) {
            notes.add("the peer violated RFC 6455: " + state.peerViolation());
            return Outcome.FAILED;
        }
        if (!state.closeReceived()) {
            if (expected.peerFails() && state.tcpEnded() && !state.droppedByMe()) {
                notes.add("the peer dropped TCP without a Close frame (RFC 6455 §7.1.7: SHOULD send one)");
                return Outcome.NON_STRICT;
            }
            notes.add(expected.peerFails()
                    ? "the peer did not fail the connection within " + timeout.toMillis() + " ms"
                    : state.tcpEnded() && !state.droppedByMe()
                            ? "the peer ended TCP without a closing handshake"
                            : "no Close frame from the peer within " + timeout.toMillis() + " ms");
            return Outcome.FAILED;
        }
        if (!expected.codes().contains(state.peerCloseCode())) {
            notes.add("the peer closed with " + state.peerCloseCode() + ", expected one of " + expected.codes());
            return Outcome.FAILED;
        }
        if (!recording.endedInTime() || (!recording.weAreServer() && state.droppedByMe())) {
            // §7.1.1: the server ends TCP first, once the Close frames are exchanged.
            notes.add("the server did not end TCP within " + timeout.toMillis()
                    + " ms of the closing handshake (RFC 6455 §7.1.1)");
            return Outcome.FAILED;
        }
        return Outcome.OK;
    }
}
