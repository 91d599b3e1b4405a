package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.servlet.ReadTurns.Next;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * {@link ReadTurns} under Lincheck's model checker, which runs each scenario over and over and explores
 * the interleavings of its threads: at every shared-memory access or monitor a thread may be switched
 * out. A scenario is the transport's read protocol against a model of the container's input, with the
 * threads that use it in production: the container's read events, and application threads that suspend
 * and resume reading (a session's backlog crossing its limit and draining again).
 *
 * <p>What must hold in every interleaving: the input is used by one thread at a time, and once every
 * thread is done and reading is not suspended, everything the peer sent has been read (no wakeup lost).
 */
class ReadTurnsModelCheckTest {

    /** Schedules explored per scenario. */
    private static final int INVOCATIONS = 3_000;

    /**
     * The container's side of one connection's input, as the Servlet API promises it (6.1 §5.7): after
     * {@code isReady()} said false, one read event comes once there is input; {@code isReady()} and the
     * arrival of input are atomic with respect to each other, as in a real container.
     */
    private static class PortableContainer {
        final ReadTurns turns = new ReadTurns();
        final Object input = new Object();
        int unread;
        private boolean eventWanted = true; // setReadListener: the first event comes when input does
        /** Threads between the start and the end of a use of the input stream. */
        private int users;
        boolean overlapped;
        int read;
        int sent;

        PortableContainer() {
            turns.stopUnlessAsked(); // start(): the first turn given up, nothing there yet
        }

        /** The peer's bytes arrive; the container fires a read event if one is wanted. */
        void peerSends() {
            boolean event;
            synchronized (input) {
                unread++;
                sent++;
                event = eventWanted;
                eventWanted = false;
            }
            if (event) {
                readEvent();
            }
        }

        void readEvent() {
            if (turns.offer()) {
                readLoop();
            }
        }

        /** What ServletTransport.resumeReading does off Tomcat: the resumer has the loop run. */
        void resume() {
            if (turns.resume()) {
                readLoop();
            }
        }

        /** ServletTransport.readLoop, with the stream's isReady and read. */
        void readLoop() {
            while (turns.next() == Next.READ) {
                enter();
                int n;
                synchronized (input) {
                    n = unread;
                    unread = 0;
                    eventWanted = n == 0; // isReady() == false: an event comes with the next input
                }
                leave();
                if (n == 0) {
                    if (turns.stopUnlessAsked()) {
                        return;
                    }
                } else {
                    read += n;
                }
            }
        }

        void enter() {
            synchronized (input) {
                overlapped |= ++users > 1;
            }
        }

        void leave() {
            synchronized (input) {
                users--;
            }
        }
    }

    /**
     * Tomcat's side of the input: a read event whenever the peer sent something, asked for or not, each
     * of which first uses the socket's read buffer itself (isReadyForRead), all serialised by the socket's
     * lock; and a read event on request (processSocket). The transport reads only within those events.
     */
    private static class TomcatContainer extends PortableContainer {
        private final Object socketLock = new Object();

        @Override
        void peerSends() {
            synchronized (socketLock) { // the poller's read event, dispatched
                synchronized (input) {
                    unread++;
                    sent++;
                }
            }
            readEvent();
        }

        @Override
        void readEvent() {
            synchronized (socketLock) {
                enter(); // isReadyForRead fills the read buffer
                leave();
                if (turns.offer()) {
                    readLoop();
                }
            }
        }

        /** ServletTransport.resumeReading on Tomcat: a read event asked for, run by one of Tomcat's threads. */
        @Override
        void resume() {
            if (turns.resumeForEvent()) {
                readEvent();
            }
        }
    }

    @Test
    void portablePathReadsEverythingOnceResumedWithOneReaderAtATime() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> check(new PortableContainer()));
    }

    @Test
    void tomcatPathReadsEverythingOnceResumedAndOnlyWithinTomcatsEvents() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> check(new TomcatContainer()));
    }

    /**
     * The checker finds the fault this design removed: on Tomcat, a resume that runs the read loop on
     * the resumer's thread (as the portable path does) reads while one of Tomcat's read events fills
     * the same buffer.
     */
    @Test
    void theCheckerFindsTheOverlapOfAPortableResumeWithTomcatsEvents() {
        Throwable found = assertThrows(Throwable.class,
                () -> Lincheck.runConcurrentTest(INVOCATIONS, () -> check(new TomcatContainer() {
                    @Override
                    void resume() {
                        if (turns.resume()) {
                            readLoop();
                        }
                    }
                })));
        assertTrue(String.valueOf(found.getMessage()).contains("two threads used the input at once"),
                () -> "another failure: " + found);
    }

    /** A peer sending twice, and two threads that suspend and resume reading, each as a backlog would. */
    private static void check(PortableContainer container) {
        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(() -> {
            container.peerSends();
            container.peerSends();
        }));
        for (int i = 0; i < 2; i++) {
            threads.add(new Thread(() -> {
                container.turns.suspend();
                container.resume();
            }));
        }
        for (Thread thread : threads) {
            thread.start();
        }
        for (Thread thread : threads) {
            join(thread);
        }
        assertFalse(container.overlapped, "two threads used the input at once");
        // The last suspension was resumed: whatever was sent must have been read.
        assertEquals(container.sent, container.read, "input left unread with reading resumed");
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
