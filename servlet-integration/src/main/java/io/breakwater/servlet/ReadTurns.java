package io.breakwater.servlet;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who reads a servlet connection's input, and when: one reader at a time, chosen without a lock, so
 * that reading can be suspended and resumed from any thread at any moment, the reader's own included,
 * without waiting for anybody.
 *
 * <p>A thread that wants input read (the container's read event, a resume, the end of input) offers;
 * if no reader runs it becomes the reader, else the running reader is told to look once more before it
 * stops, so no offer is lost between the reader's last look and its stop. The reader asks
 * {@link #next} before every read and {@link #stopUnlessAsked} when nothing is left to read.
 *
 * <p>{@link #READING} starts set: the transport holds the first turn until its read listener is set,
 * since the input stream must not be touched before (Servlet 6.1 §5.7).
 */
final class ReadTurns {

    /** A thread is the reader: it alone uses the input stream and calls the handler's input methods. */
    private static final int READING = 1;
    /** Asked to read while the reader ran: it looks at the stream once more before it stops. */
    private static final int ASKED = 2;
    private static final int SUSPENDED = 4;
    /** The container said the input has ended: the reader reports it, suspended or not. */
    private static final int ENDED = 8;
    /** The end was reported or the connection closed: nobody reads any more. */
    private static final int FINISHED = 16;

    /** What the reader does next. */
    enum Next {
        READ,
        /** Report the end of input; the turn is kept for good, so nobody reads after. */
        REPORT_END,
        /** Stop: the turn is given up (suspended), or nothing is read any more (finished). */
        STOP
    }

    private final AtomicInteger state = new AtomicInteger(READING);

    /**
     * Input may be available (or the end of input is known).
     *
     * @return true if the caller is now the reader and must run the read loop; false if a reader runs
     *     (it will look again), reading is suspended (a resume starts a reader) or finished
     */
    boolean offer() {
        while (true) {
            int s = state.get();
            if ((s & FINISHED) != 0) {
                return false;
            }
            if ((s & READING) != 0) {
                if ((s & ASKED) != 0 || state.compareAndSet(s, s | ASKED)) {
                    return false;
                }
            } else if ((s & SUSPENDED) != 0 && (s & ENDED) == 0) {
                return false;
            } else if (state.compareAndSet(s, s | READING)) {
                return true;
            }
        }
    }

    /** The input has ended: as {@link #offer}, after noting it, so that the reader reports it. */
    boolean offerEnd() {
        state.getAndUpdate(s -> s | ENDED);
        return offer();
    }

    void suspend() {
        state.getAndUpdate(s -> s | SUSPENDED);
    }

    /**
     * @return true if reading was suspended, no reader runs and the caller is now the reader: it must
     *     have the read loop run, on another thread (the caller may hold locks of its own)
     */
    boolean resume() {
        while (true) {
            int s = state.get();
            if ((s & SUSPENDED) == 0) {
                return false;
            }
            boolean takesTurn = (s & (READING | FINISHED)) == 0;
            int resumed = (s & ~SUSPENDED) | (takesTurn ? READING : 0);
            if (state.compareAndSet(s, resumed)) {
                return takesTurn;
            }
        }
    }

    /**
     * As {@link #resume}, but for a container whose read events are the only threads that may read (see
     * {@link ServletTransport#resumeReading}): the turn is left for the next event's {@link #offer}.
     *
     * @return true if reading was suspended and no reader runs: the caller must have the container
     *     deliver a read event, else input already buffered would wait for the peer's next bytes
     */
    boolean resumeForEvent() {
        while (true) {
            int s = state.get();
            if ((s & SUSPENDED) == 0) {
                return false;
            }
            if (state.compareAndSet(s, s & ~SUSPENDED)) {
                return (s & (READING | FINISHED)) == 0;
            }
        }
    }

    /** No more input, whatever happens: the connection is closed. */
    void finish() {
        state.getAndUpdate(s -> s | FINISHED);
    }

    /** Asked by the reader before each read. */
    Next next() {
        while (true) {
            int s = state.get();
            if ((s & FINISHED) != 0) {
                return Next.STOP; // the turn stays taken: nobody reads any more
            }
            if ((s & ENDED) != 0) {
                if (state.compareAndSet(s, s | FINISHED)) {
                    return Next.REPORT_END;
                }
            } else if ((s & SUSPENDED) != 0) {
                if (state.compareAndSet(s, s & ~(READING | ASKED))) {
                    return Next.STOP;
                }
            } else if (state.compareAndSet(s, s & ~ASKED)) {
                // What was asked before this read is seen by it.
                return Next.READ;
            }
        }
    }

    /**
     * The reader found nothing to read (the container will call again when there is).
     *
     * @return true if the turn is given up; false if somebody asked meanwhile: the reader goes on
     */
    boolean stopUnlessAsked() {
        while (true) {
            int s = state.get();
            if ((s & ASKED) != 0) {
                if (state.compareAndSet(s, s & ~ASKED)) {
                    return false;
                }
            } else if (state.compareAndSet(s, s & ~READING)) {
                return true;
            }
        }
    }

    /** The reader read the end of the stream itself: it reports it next. */
    void ended() {
        state.getAndUpdate(s -> s | ENDED);
    }
}
