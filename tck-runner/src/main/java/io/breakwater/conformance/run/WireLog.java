package io.breakwater.conformance.run;

import io.breakwater.conformance.wire.Hex;
import java.util.ArrayList;
import java.util.List;

/** What crossed the wire in one case, in order, with milliseconds since the case began. */
public final class WireLog {
    /** Beyond this many entries only a count is kept: a case that sends 1000 frames logs its start. */
    private static final int MAX_ENTRIES = 200;

    private final long start = System.nanoTime();
    private final List<String> entries = new ArrayList<>();
    private int omitted;

    public synchronized void add(String kind, String text) {
        if (entries.size() >= MAX_ENTRIES) {
            omitted++;
            return;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        entries.add(String.format("%03d %6d ms %-9s: %s", entries.size(), millis, kind, text));
    }

    public void octets(String kind, byte[] bytes, int offset, int length) {
        add(kind, Hex.of(bytes, offset, length, 48));
    }

    public synchronized List<String> entries() {
        List<String> out = new ArrayList<>(entries);
        if (omitted > 0) {
            out.add("... " + omitted + " more entries not logged");
        }
        return out;
    }
}
