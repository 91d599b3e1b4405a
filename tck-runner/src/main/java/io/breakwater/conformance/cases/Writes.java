package io.breakwater.conformance.cases;

import io.breakwater.conformance.wire.Frame;
import java.io.IOException;
import java.util.List;

/** How a case's frames reach the socket (Autobahn's unsynced writes, {@code sync=True}, {@code chopsize=1}). */
enum Writes {
    /** All frames in a single write, so that the peer likely reads them in one go. */
    ONE_WRITE("all in one write"),
    /** One write per frame, each flushed on its own. */
    PER_FRAME("one write per frame"),
    /** Every octet in a write of its own. */
    OCTET_WISE("written in octet-wise chops");

    private final String description;

    Writes(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    /** Sends the frames one after another, without waiting for the peer in between. */
    void send(CaseContext context, List<Frame> frames) throws IOException {
        if (this == ONE_WRITE) {
            context.sendAll(frames);
            return;
        }
        for (Frame frame : frames) {
            context.send(frame, this == OCTET_WISE ? 1 : 0);
        }
    }
}
