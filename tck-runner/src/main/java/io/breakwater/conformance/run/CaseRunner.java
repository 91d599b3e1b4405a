package io.breakwater.conformance.run;

import io.breakwater.conformance.cases.CaseContext;
import io.breakwater.conformance.cases.Closing;
import io.breakwater.conformance.cases.ConformanceCase;
import io.breakwater.conformance.cases.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one case on an open connection and has {@link Verdict} judge what it recorded; the same for
 * both roles. The handshake, which differs by role, has already happened.
 */
public final class CaseRunner {
    /**
     * How much longer than {@link #timeout} to wait for expected messages: a 16 MiB echo on a loaded
     * machine takes a while, and a peer that answers ends the wait at once, so only a failing peer
     * pays for it.
     */
    private static final int EVENT_PATIENCE = 6;

    private final Duration timeout;

    /** @param timeout the bound on each wait for the peer's Close and the end of TCP */
    public CaseRunner(Duration timeout) {
        this.timeout = timeout;
    }

    /** The bound on each wait for expected messages and pongs. */
    static Duration eventTimeout(Duration timeout) {
        return timeout.multipliedBy(EVENT_PATIENCE);
    }

    /**
     * @param unimplemented why the case cannot run (the peer declined permessage-deflate), or null
     */
    public CaseResult run(ConformanceCase testCase, String roleUnderTest, FuzzConnection connection,
                          String unimplemented, String openingHandshake, WireLog log, long startNanos)
            throws InterruptedException {
        boolean weAreServer = roleUnderTest.equals("client");
        CaseContext context = new CaseContext(connection, eventTimeout(timeout));
        Closing closing = testCase.closing();
        if (unimplemented != null) {
            context.note(Outcome.UNIMPLEMENTED, unimplemented);
            closing = Closing.normal();
        } else {
            try {
                testCase.script().run(context);
            } catch (IOException e) {
                // The peer may end TCP while we still send: the closing behaviour judges whether it could.
                log.add("TX FAILED", String.valueOf(e.getMessage()));
            }
        }
        CloseState state = connection.closeState();
        if (closing.peerFails()) {
            connection.awaitPeerCloseOrDrop(timeout);
        } else if (!state.closeSent() && !state.closeReceived() && !state.tcpEnded()) {
            if (unimplemented == null) {
                connection.awaitEvents(testCase.expected().mostEvents(), eventTimeout(timeout));
            }
            try {
                connection.sendClose(1000, new byte[0]);
            } catch (IOException e) {
                log.add("TX FAILED", String.valueOf(e.getMessage()));
            }
        }
        boolean endedInTime = connection.awaitTcpEnd(timeout);
        if (!endedInTime) {
            connection.drop("TCP still open " + timeout.toMillis() + " ms after the case");
        }
        state = connection.closeState();
        List<Event> events = connection.events();
        connection.stopReader();

        Verdict.Result verdict = Verdict.judge(unimplemented != null ? null : testCase.expected(), closing,
                new Recording(events, state, weAreServer, endedInTime), timeout, context.scriptOutcome(),
                context.notes());
        List<String> observed = new ArrayList<>();
        events.forEach(event -> observed.add(event.toString()));
        return new CaseResult(testCase.id(), roleUnderTest, testCase.description(), testCase.expectation(),
                verdict.outcome(), verdict.behaviour(), testCase.expected().toString(), observed, verdict.closing(),
                closing.description(), closingTable(state, weAreServer, endedInTime), verdict.notes(),
                openingHandshake, log.entries(), (System.nanoTime() - startNanos) / 1_000_000);
    }

    private static Map<String, Object> closingTable(CloseState state, boolean weAreServer, boolean endedInTime) {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("isServer", weAreServer);
        table.put("closedByMe", state.closeSent() && !state.peerClosedFirst());
        table.put("droppedByMe", state.droppedByMe());
        table.put("wasClean", state.closeSent() && state.closeReceived() && state.peerViolation() == null
                && endedInTime);
        table.put("localCloseCode", state.closeSentCode());
        table.put("remoteCloseCode", state.peerCloseCode() < 0 ? null : state.peerCloseCode());
        table.put("remoteCloseReason", state.peerCloseReason());
        table.put("peerViolation", state.peerViolation());
        table.put("eventsBeforeRemoteClose", state.eventsBeforePeerClose() < 0 ? null : state.eventsBeforePeerClose());
        table.put("tcpEndedInTime", endedInTime);
        return table;
    }
}
