package io.breakwater.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.conformance.cases.CaseCatalog;
import io.breakwater.conformance.cases.Closing;
import io.breakwater.conformance.cases.ConformanceCase;
import io.breakwater.conformance.cases.Expected;
import io.breakwater.conformance.cases.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict function fed recorded sequences, without sockets. */
class VerdictTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Event ECHO = Event.text("Hello, world!");
    private static final Expected ECHO_FIRST = Expected.echoesBeforeFailing(ECHO);
    private static final Closing FAILS = Closing.fails(1002);

    /** The ten cases wstest rates NON-STRICT when the echo of the valid message is missing. */
    private static final Map<String, Event> ECHO_BEFORE_FAILING = Map.of(
            "3.2", ECHO, "3.3", ECHO, "3.4", ECHO,
            "4.1.3", ECHO, "4.1.4", ECHO, "4.1.5", ECHO,
            "4.2.3", ECHO, "4.2.4", ECHO, "4.2.5", ECHO,
            "5.15", Event.text("fragment1fragment2"));

    /**
     * What the fuzzer recorded of a peer, built in the order it happened: the peer's messages and
     * pongs, its Close frame (which the fuzzer answers), and the end of TCP.
     */
    private static final class Sequence {
        private final boolean weAreServer;
        private final List<Event> events = new ArrayList<>();
        private boolean closeSent;
        private Integer closeSentCode;
        private boolean closeReceived;
        private boolean peerClosedFirst;
        private int peerCloseCode = -1;
        private int eventsBeforePeerClose = -1;
        private boolean tcpEnded;
        private boolean droppedByMe;
        private String violation;

        private Sequence(boolean weAreServer) {
            this.weAreServer = weAreServer;
        }

        /** The fuzzing client against a server under test. */
        static Sequence againstServer() {
            return new Sequence(false);
        }

        /** The fuzzing server against a client under test. */
        static Sequence againstClient() {
            return new Sequence(true);
        }

        Sequence event(Event event) {
            events.add(event);
            return this;
        }

        /** The peer's Close frame, answered with the same code; as the server, the fuzzer then ends TCP. */
        Sequence peerCloses(int code) {
            closeReceived = true;
            peerCloseCode = code;
            eventsBeforePeerClose = events.size();
            if (!closeSent) {
                peerClosedFirst = true;
                closeSent = true;
                closeSentCode = code;
            }
            if (weAreServer) {
                tcpEnded = true;
                droppedByMe = true;
            }
            return this;
        }

        /** The peer ends TCP (a server after the closing handshake, or any peer dropping it). */
        Sequence peerEndsTcp() {
            tcpEnded = true;
            return this;
        }

        /** The fuzzer found a protocol violation, sent 1002 and dropped TCP. */
        Sequence violation(String problem) {
            violation = problem;
            if (!closeSent) {
                closeSent = true;
                closeSentCode = 1002;
            }
            tcpEnded = true;
            droppedByMe = true;
            return this;
        }

        Recording recording() {
            CloseState state = new CloseState(closeSent, closeSentCode, closeReceived, peerClosedFirst, peerCloseCode,
                    null, tcpEnded, droppedByMe, violation, eventsBeforePeerClose);
            return new Recording(events, state, weAreServer, tcpEnded);
        }
    }

    private static Verdict.Result judge(Expected expected, Closing closing, Sequence sequence) {
        return Verdict.judge(expected, closing, sequence.recording(), TIMEOUT, Outcome.OK, List.of());
    }

    private static void assertNote(Verdict.Result result, String part) {
        assertTrue(result.notes().stream().anyMatch(n -> n.contains(part)),
                "expected a note with \"" + part + "\" in " + result.notes());
    }

    @Test
    void echoThenCloseIsOk() {
        Verdict.Result result = judge(ECHO_FIRST, FAILS, Sequence.againstServer().event(ECHO).peerCloses(1002)
                .peerEndsTcp());
        assertEquals(Outcome.OK, result.outcome(), result.notes().toString());
        assertEquals(Outcome.OK, result.behaviour());
        assertEquals(Outcome.OK, result.closing());
        assertEquals(List.of(), result.notes());
    }

    @Test
    void closeOnlyIsNonStrict() {
        Verdict.Result result = judge(ECHO_FIRST, FAILS, Sequence.againstServer().peerCloses(1002).peerEndsTcp());
        assertEquals(Outcome.NON_STRICT, result.outcome());
        assertEquals(Outcome.NON_STRICT, result.behaviour());
        assertEquals(Outcome.OK, result.closing(), "the connection itself was failed correctly");
        assertNote(result, "OK needs [" + ECHO + "] before it");
    }

    @Test
    void wrongCloseCodeIsFailed() {
        Verdict.Result withEcho = judge(ECHO_FIRST, FAILS, Sequence.againstServer().event(ECHO).peerCloses(1000)
                .peerEndsTcp());
        assertEquals(Outcome.FAILED, withEcho.outcome());
        assertEquals(Outcome.OK, withEcho.behaviour());
        assertEquals(Outcome.FAILED, withEcho.closing());
        assertNote(withEcho, "closed with 1000, expected one of [1002]");

        Verdict.Result withoutEcho = judge(ECHO_FIRST, FAILS, Sequence.againstServer().peerCloses(1011)
                .peerEndsTcp());
        assertEquals(Outcome.FAILED, withoutEcho.outcome(), "FAILED is worse than the missing echo's NON-STRICT");
    }

    @Test
    void anEchoAfterThePeersCloseIsNotOk() {
        Verdict.Result result = judge(ECHO_FIRST, FAILS, Sequence.againstServer().peerCloses(1002).event(ECHO)
                .peerEndsTcp());
        assertEquals(Outcome.FAILED, result.outcome());
        assertEquals(Outcome.FAILED, result.behaviour());
        assertNote(result, "after its Close frame");
    }

    @Test
    void noCloseAndNoEchoIsFailed() {
        Verdict.Result result = judge(ECHO_FIRST, FAILS, Sequence.againstServer());
        assertEquals(Outcome.FAILED, result.outcome());
        assertNote(result, "did not fail the connection");
    }

    @Test
    void theEchoThenTcpDroppedWithoutACloseIsNonStrict() {
        Verdict.Result result = judge(ECHO_FIRST, FAILS, Sequence.againstServer().event(ECHO).peerEndsTcp());
        assertEquals(Outcome.NON_STRICT, result.outcome());
        assertEquals(Outcome.OK, result.behaviour());
        assertEquals(Outcome.NON_STRICT, result.closing());
    }

    @Test
    void anythingBesidesTheEchoIsFailed() {
        Event pong = Event.pong(new byte[0]);
        assertEquals(Outcome.FAILED, judge(ECHO_FIRST, FAILS, Sequence.againstServer().event(ECHO).event(pong)
                .peerCloses(1002).peerEndsTcp()).outcome(), "the ping after the violation was answered");
        assertEquals(Outcome.FAILED, judge(Expected.echoesBeforeFailing(ECHO, ECHO), FAILS,
                Sequence.againstServer().event(ECHO).peerCloses(1002).peerEndsTcp()).outcome(), "one echo of two");
    }

    @Test
    void aCaseThatListsNoNonStrictAlternativeFailsWithoutTheEcho() {
        Verdict.Result result = judge(Expected.ok(ECHO), Closing.normal(),
                Sequence.againstServer().peerCloses(1000).peerEndsTcp());
        assertEquals(Outcome.FAILED, result.outcome());
        assertNote(result, "observed [] before the peer's Close");
    }

    @Test
    void theSameInTheClientRole() {
        assertEquals(Outcome.OK, judge(ECHO_FIRST, FAILS, Sequence.againstClient().event(ECHO).peerCloses(1002))
                .outcome());
        assertEquals(Outcome.NON_STRICT, judge(ECHO_FIRST, FAILS, Sequence.againstClient().peerCloses(1002))
                .outcome());
        assertEquals(Outcome.FAILED, judge(ECHO_FIRST, FAILS, Sequence.againstClient().event(ECHO).peerCloses(1000))
                .outcome());
    }

    @Test
    void aProtocolViolationIsFailedWhateverTheEvents() {
        Verdict.Result result = judge(ECHO_FIRST, FAILS, Sequence.againstServer().event(ECHO)
                .violation("masked frame from the server (RFC 6455 §5.1)"));
        assertEquals(Outcome.FAILED, result.outcome());
        assertNote(result, "masked frame from the server");
    }

    @Test
    void theScriptsFindingsAndUnjudgedEventsCount() {
        Verdict.Result unimplemented = Verdict.judge(null, Closing.normal(),
                Sequence.againstServer().peerCloses(1000).peerEndsTcp().recording(), TIMEOUT, Outcome.UNIMPLEMENTED,
                List.of("the peer declined permessage-deflate"));
        assertEquals(Outcome.UNIMPLEMENTED, unimplemented.outcome());
        assertEquals(Outcome.OK, unimplemented.behaviour());
        assertEquals(List.of("the peer declined permessage-deflate"), unimplemented.notes());
    }

    /** The catalog's versions of wstest's 3.2-3.4, 4.1.3-4.1.5, 4.2.3-4.2.5 and 5.15 judge as wstest does. */
    @Test
    void theCasesWhereWstestWantsTheEchoFirst() {
        List<ConformanceCase> cases = CaseCatalog.select(String.join(",", ECHO_BEFORE_FAILING.keySet()));
        assertEquals(ECHO_BEFORE_FAILING.size(), cases.size());
        for (ConformanceCase testCase : cases) {
            Event echo = ECHO_BEFORE_FAILING.get(testCase.id());
            assertEquals(List.of(echo), testCase.expected().alternatives().get(Outcome.OK), testCase.id());
            assertEquals(List.of(), testCase.expected().alternatives().get(Outcome.NON_STRICT), testCase.id());
            assertEquals(Closing.fails(1002), testCase.closing(), testCase.id());
            for (Sequence role : List.of(Sequence.againstServer(), Sequence.againstClient())) {
                assertEquals(Outcome.NON_STRICT, judge(testCase.expected(), testCase.closing(),
                        role.peerCloses(1002).peerEndsTcp()).outcome(), testCase.id() + " without the echo");
            }
            for (Sequence role : List.of(Sequence.againstServer(), Sequence.againstClient())) {
                assertEquals(Outcome.OK, judge(testCase.expected(), testCase.closing(),
                        role.event(echo).peerCloses(1002).peerEndsTcp()).outcome(), testCase.id() + " with the echo");
            }
        }
    }
}
