package io.breakwater.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.breakwater.fuzz.EventLog.Closed;
import io.breakwater.fuzz.EventLog.Data;
import io.breakwater.fuzz.EventLog.Event;
import io.breakwater.fuzz.EventLog.Failure;
import io.breakwater.fuzz.EventLog.Ping;
import io.breakwater.fuzz.EventLog.Pong;
import io.breakwater.protocol.CloseStatus;
import io.breakwater.protocol.Connection;
import io.breakwater.protocol.Role;
import io.breakwater.protocol.Violation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The frame parser and the inbound rules of {@link Connection}, in both roles, with and without
 * permessage-deflate, fed whatever a peer could send.
 *
 * <p>Each input is fed twice to fresh connections: in one buffer, and cut into the pieces a
 * {@link Chunking} chooses. Each run must keep the listener's contract ({@link EventLog}), end in the
 * state its events call for, and write only frames a real peer reads without complaint: a pong for
 * every ping, then the close that answers the peer's or names the violation. The two runs must
 * report the same events and write the same frames; what may differ is how much of a message was
 * delivered before it failed, and, for a compressed message only, which of its content violations
 * (too big, not inflatable, not UTF-8) is found first, since the inflater's output is checked in
 * pieces whose size depends on the input's.
 *
 * <p>Input: maximum frame size, text and binary message size ({@link FuzzInput#nextLimit}), the
 * permessage-deflate options (see {@link Negotiated}; read but unused without deflate, so that
 * every target reads the same layout), a {@link Chunking}, then the bytes from the peer.
 */
class ConnectionFuzzTest {

    /** Violations of a compressed message's content, any of which may surface first. */
    private static final Set<Violation> CONTENT_VIOLATIONS =
            Set.of(Violation.MESSAGE_TOO_BIG, Violation.INVALID_COMPRESSED_DATA, Violation.INVALID_UTF8);

    private static final int MASK_KEY = 0x5A17_C3E9;

    @FuzzTest
    void serverReadsClientFrames(byte[] data) {
        check(Role.SERVER, false, data);
    }

    @FuzzTest
    void clientReadsServerFrames(byte[] data) {
        check(Role.CLIENT, false, data);
    }

    @FuzzTest
    void serverReadsCompressedClientFrames(byte[] data) {
        check(Role.SERVER, true, data);
    }

    @FuzzTest
    void clientReadsCompressedServerFrames(byte[] data) {
        check(Role.CLIENT, true, data);
    }

    /** How a connection under test is made: role, limits, negotiated extension. */
    private record Setup(Role role, long maxFrameSize, long maxTextMessageSize, long maxBinaryMessageSize,
                         Negotiated deflate) {

        Connection open(EventLog log, WrittenFrames output) {
            Connection connection = role == Role.SERVER
                    ? Connection.server(log, output, deflate == null ? null : deflate.newExtension())
                    : Connection.client(log, output, deflate == null ? null : deflate.newExtension(), () -> MASK_KEY);
            connection.setMaxFrameSize(maxFrameSize);
            connection.setMaxTextMessageSize(maxTextMessageSize);
            connection.setMaxBinaryMessageSize(maxBinaryMessageSize);
            return connection;
        }

        EventLog newLog() {
            return new EventLog(maxTextMessageSize, maxBinaryMessageSize);
        }
    }

    /** What one run reported and wrote, and where it left the connection before the transport closed. */
    private record Outcome(List<Event> events, Violation failure, List<Bytes> written, byte[] writtenStream,
                           Connection.State state, boolean transportCloseDue) {
    }

    private static void check(Role role, boolean deflate, byte[] data) {
        FuzzInput input = new FuzzInput(data);
        long maxFrameSize = input.nextLimit(Connection.DEFAULT_MAX_FRAME_SIZE);
        long maxText = input.nextLimit(Connection.DEFAULT_MAX_MESSAGE_SIZE);
        long maxBinary = input.nextLimit(Connection.DEFAULT_MAX_MESSAGE_SIZE);
        Negotiated negotiated = Negotiated.read(role, input.nextByte());
        Chunking chunking = Chunking.read(input);
        byte[] wire = input.rest();
        Setup setup = new Setup(role, maxFrameSize, maxText, maxBinary, deflate ? negotiated : null);

        // receive() unmasks in place: each feed gets its own copy of the peer's bytes.
        Outcome whole = run(setup, List.of(ByteBuffer.wrap(wire.clone())));
        List<ByteBuffer> pieces = new ArrayList<>();
        chunking.split(wire).forEach(piece -> pieces.add(chunking.wrap(piece)));
        Outcome split = run(setup, pieces);

        checkConsistent(setup, whole);
        checkConsistent(setup, split);
        checkSame(whole, split, deflate);
    }

    private static Outcome run(Setup setup, List<ByteBuffer> input) {
        EventLog log = setup.newLog();
        WrittenFrames output = new WrittenFrames();
        Connection connection = setup.open(log, output);
        for (ByteBuffer buffer : input) {
            log.expectPiecesFrom(buffer.remaining());
            connection.receive(buffer);
            assertFalse(buffer.hasRemaining(), "receive consumes all its input");
        }
        Connection.State state = connection.state();
        boolean transportCloseDue = connection.isTransportCloseDue();
        connection.transportClosed();
        log.assertClosed();
        return new Outcome(log.events(), log.failure(), output.frames(), output.stream(), state, transportCloseDue);
    }

    /** The connection's state, and what it wrote, agree with what it reported. */
    private static void checkConsistent(Setup setup, Outcome outcome) {
        List<Event> events = outcome.events();
        Closed closed = (Closed) events.get(events.size() - 1);
        if (outcome.failure() != null) {
            // RFC 6455 §7.1.7: fail the connection, whichever end we are.
            assertEquals(Connection.State.CLOSED, outcome.state(), "state after a violation");
            assertTrue(outcome.transportCloseDue(), "a violation closes the transport");
        } else if (closed.code() != CloseStatus.ABNORMAL_CLOSURE) {
            // A close frame arrived: answered at once, and the server closes TCP first (RFC 6455 §7.1.1).
            assertEquals(Connection.State.CLOSED, outcome.state(), "state after the peer's close");
            assertEquals(setup.role() == Role.SERVER, outcome.transportCloseDue(), "who closes the transport");
        } else {
            assertEquals(Connection.State.OPEN, outcome.state(), "state while nothing closed the connection");
            assertFalse(outcome.transportCloseDue(), "no reason to close the transport");
        }
        checkWrittenFrames(setup, outcome);
    }

    /**
     * Reads what we wrote with a fresh connection of the other role, as the peer would: it must find
     * well-formed, correctly masked frames, a pong echoing every ping in order, and then the close
     * frame: echoing the peer's code, empty for a close without one, naming the violation we failed
     * with, or none when the transport ended first.
     */
    private static void checkWrittenFrames(Setup setup, Outcome outcome) {
        List<Event> expected = new ArrayList<>();
        for (Event event : outcome.events()) {
            if (event instanceof Ping ping) {
                expected.add(new Pong(ping.payload()));
            }
        }
        Closed closed = (Closed) outcome.events().get(outcome.events().size() - 1);
        if (outcome.failure() != null) {
            expected.add(new Closed(outcome.failure().closeCode(), outcome.failure().description()));
        } else if (closed.code() != CloseStatus.ABNORMAL_CLOSURE) {
            expected.add(new Closed(closed.code(), ""));
        }

        EventLog peerLog = new EventLog(Long.MAX_VALUE, Long.MAX_VALUE);
        WrittenFrames peerOutput = new WrittenFrames();
        Connection peer = setup.role() == Role.SERVER
                ? Connection.client(peerLog, peerOutput, null, () -> MASK_KEY)
                : Connection.server(peerLog, peerOutput, null);
        peer.receive(ByteBuffer.wrap(outcome.writtenStream()));
        assertEquals(expected, peerLog.events(), "what the peer reads from our frames");
    }

    /** Whole and split runs of one input reported and wrote the same, within what streaming allows. */
    private static void checkSame(Outcome whole, Outcome split, boolean deflate) {
        List<Event> wholeEvents = new ArrayList<>(whole.events());
        List<Event> splitEvents = new ArrayList<>(split.events());
        Data wholePartial = removePartialBeforeFailure(wholeEvents);
        Data splitPartial = removePartialBeforeFailure(splitEvents);
        if (wholePartial != null && splitPartial != null) {
            // Both delivered the start of the message that failed; one delivered at least as much as the other.
            assertTrue(wholePartial.bytes().startsWith(splitPartial.bytes())
                    || splitPartial.bytes().startsWith(wholePartial.bytes()),
                    "the parts of a failed message differ: " + wholePartial + " and " + splitPartial);
        }
        List<Bytes> wholeWritten = new ArrayList<>(whole.written());
        List<Bytes> splitWritten = new ArrayList<>(split.written());
        if (whole.failure() != split.failure()) {
            assertTrue(deflate && whole.failure() != null && split.failure() != null
                            && CONTENT_VIOLATIONS.contains(whole.failure())
                            && CONTENT_VIOLATIONS.contains(split.failure()),
                    "whole input failed with " + whole.failure() + ", split input with " + split.failure());
            // The failure and its close event, and the close frame that names it, are allowed to differ.
            wholeEvents.subList(wholeEvents.size() - 2, wholeEvents.size()).clear();
            splitEvents.subList(splitEvents.size() - 2, splitEvents.size()).clear();
            wholeWritten.remove(wholeWritten.size() - 1);
            splitWritten.remove(splitWritten.size() - 1);
        }
        assertEquals(wholeEvents, splitEvents, "events of the whole and the split input");
        assertEquals(wholeWritten, splitWritten, "frames written for the whole and the split input");
        assertEquals(whole.state(), split.state(), "state after the whole and the split input");
        assertEquals(whole.transportCloseDue(), split.transportCloseDue(), "transport close due");
    }

    /**
     * Removes and returns the unfinished piece of a message just before a failure: how much of a
     * message arrives before it fails depends on how its bytes were cut.
     */
    private static Data removePartialBeforeFailure(List<Event> events) {
        int failureAt = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof Failure) {
                failureAt = i;
            }
        }
        if (failureAt > 0 && events.get(failureAt - 1) instanceof Data data && !data.last()) {
            events.remove(failureAt - 1);
            return data;
        }
        return null;
    }
}
