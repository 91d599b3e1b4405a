package io.breakwater.conformance.cases;

import io.breakwater.conformance.run.FuzzConnection;
import io.breakwater.conformance.wire.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What a script may do: send frames, wait for the peer, and note findings that change the outcome. */
public final class CaseContext {
    private final FuzzConnection connection;
    private final Duration timeout;
    private Outcome scriptOutcome = Outcome.OK;
    private final List<String> notes = new ArrayList<>();

    /** @param timeout the bound on waits for expected events */
    public CaseContext(FuzzConnection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    public void send(Frame frame) throws IOException {
        connection.send(frame);
    }

    /** Writes the frame in pieces of {@code chop} bytes, each flushed on its own. */
    public void send(Frame frame, int chop) throws IOException {
        connection.send(frame, chop);
    }

    /** Several frames in a single write, so that the peer likely reads them in one go. */
    public void sendAll(List<Frame> frames) throws IOException {
        connection.sendAll(frames);
    }

    /** The frame's octets as this side would send them (masked when we are the client), logged, not sent. */
    public byte[] encode(Frame frame) {
        return connection.encode(frame);
    }

    public void sendRaw(byte[] bytes) throws IOException {
        connection.sendRaw(bytes);
    }

    /** The frame a whole message goes in: compressed with RSV1 set when permessage-deflate was agreed. */
    public Frame messageFrame(int opcode, byte[] payload) {
        return connection.messageFrame(opcode, payload);
    }

    /** A whole message in one frame, compressed when permessage-deflate was agreed. */
    public void sendMessage(int opcode, byte[] payload) throws IOException {
        connection.send(connection.messageFrame(opcode, payload));
    }

    /**
     * A message in frames of {@code fragmentSize} payload bytes (RFC 6455 §5.4); when compressed, the
     * compressed payload is split, RSV1 on the first frame only (RFC 7692 §6.1).
     */
    public void sendFragmented(int opcode, byte[] payload, int fragmentSize) throws IOException {
        Frame whole = connection.messageFrame(opcode, payload);
        byte[] data = whole.payload();
        int at = 0;
        boolean first = true;
        do {
            int length = Math.min(fragmentSize, data.length - at);
            byte[] piece = java.util.Arrays.copyOfRange(data, at, at + length);
            at += length;
            connection.send(new Frame(at >= data.length, first ? whole.rsv() : 0,
                    first ? opcode : io.breakwater.conformance.wire.Opcode.CONTINUATION, piece, null));
            first = false;
        } while (at < data.length);
    }

    public void sendClose(Integer code, byte[] reason) throws IOException {
        connection.sendClose(code, reason);
    }

    /** Waits (bounded by the event timeout) until the peer has sent this many messages and pongs. */
    public boolean awaitEvents(int count) throws InterruptedException {
        return connection.awaitEvents(count, timeout);
    }

    /** Waits (bounded) for the peer to fail or close the connection. */
    public boolean awaitPeerCloseOrDrop(Duration wait) throws InterruptedException {
        return connection.awaitPeerCloseOrDrop(wait);
    }

    /** Records a finding; the case's outcome is at least {@code outcome}. */
    public void note(Outcome outcome, String note) {
        scriptOutcome = scriptOutcome.worst(outcome);
        notes.add(note);
    }

    public Outcome scriptOutcome() {
        return scriptOutcome;
    }

    public List<String> notes() {
        return notes;
    }
}
