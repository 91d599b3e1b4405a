package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.servlet.ReadTurns.Next;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The read turns of a servlet transport: one reader at a time, no offer lost, suspension from anywhere. */
class ReadTurnsTest {

    /** A transport after start: the first turn given up, no reader. */
    private static ReadTurns idle() {
        ReadTurns turns = new ReadTurns();
        assertTrue(turns.stopUnlessAsked());
        return turns;
    }

    @Test
    void theFirstTurnIsHeldUntilGivenUpSoNothingReadsBeforeTheListenerIsSet() {
        ReadTurns turns = new ReadTurns();
        turns.suspend();
        assertFalse(turns.resume(), "a resume before start starts no reader");
        assertFalse(turns.offer(), "an event during setReadListener asks the holder");
        assertFalse(turns.stopUnlessAsked(), "the holder reads, since it was asked");
        assertEquals(Next.READ, turns.next());
        assertTrue(turns.stopUnlessAsked());
    }

    @Test
    void anOfferWithoutAReaderMakesTheCallerTheReader() {
        ReadTurns turns = idle();
        assertTrue(turns.offer());
        assertFalse(turns.offer(), "a second reader");
        assertEquals(Next.READ, turns.next());
    }

    @Test
    void anOfferWhileTheReaderRunsIsSeenBeforeItStops() {
        ReadTurns turns = idle();
        assertTrue(turns.offer());
        assertEquals(Next.READ, turns.next());
        // The container's event comes between the reader's isReady() == false and its stop.
        assertFalse(turns.offer());
        assertFalse(turns.stopUnlessAsked(), "the reader must look once more");
        assertEquals(Next.READ, turns.next());
        assertTrue(turns.stopUnlessAsked());
        assertTrue(turns.offer(), "the turn is free again");
    }

    @Test
    void anOfferSeenByTheNextReadDoesNotKeepTheReaderGoing() {
        ReadTurns turns = idle();
        assertTrue(turns.offer());
        assertFalse(turns.offer());
        assertEquals(Next.READ, turns.next()); // this read sees what the offer was about
        assertTrue(turns.stopUnlessAsked());
    }

    @Test
    void aSuspendedReaderGivesUpItsTurnAndTheResumerTakesIt() {
        ReadTurns turns = idle();
        assertTrue(turns.offer());
        turns.suspend(); // from within onData, or from any other thread
        assertEquals(Next.STOP, turns.next());
        assertFalse(turns.offer(), "input while suspended waits for the resume");
        assertTrue(turns.resume(), "the resumer must start a reader");
        assertFalse(turns.resume(), "not suspended any more");
        assertFalse(turns.offer(), "the resumed reader runs");
        assertEquals(Next.READ, turns.next());
    }

    @Test
    void aResumeWhileTheReaderRunsLetsItGoOn() {
        ReadTurns turns = idle();
        assertTrue(turns.offer());
        turns.suspend();
        assertFalse(turns.resume(), "the reader runs still: no second one");
        assertEquals(Next.READ, turns.next());
    }

    @Test
    void aResumeForAnEventLeavesTheTurnToTheEventItAsksFor() {
        ReadTurns turns = idle();
        assertTrue(turns.offer());
        turns.suspend();
        assertEquals(Next.STOP, turns.next());
        assertFalse(turns.offer(), "an event while suspended is dropped");
        assertTrue(turns.resumeForEvent(), "no reader runs: the resumer must ask for an event");
        assertFalse(turns.resumeForEvent(), "not suspended any more");
        assertTrue(turns.offer(), "the event asked for becomes the reader");
        assertEquals(Next.READ, turns.next());
    }

    @Test
    void aResumeForAnEventWhileTheReaderRunsAsksForNone() {
        ReadTurns turns = idle();
        assertTrue(turns.offer());
        turns.suspend();
        assertFalse(turns.resumeForEvent(), "the reader runs still and reads on");
        assertEquals(Next.READ, turns.next());
    }

    @Test
    void aResumeForAnEventAfterTheCloseAsksForNone() {
        ReadTurns turns = idle();
        turns.suspend();
        turns.finish();
        assertFalse(turns.resumeForEvent());
        assertFalse(turns.offer());
    }

    @Test
    void theEndOfInputIsReportedOnceEvenWhileSuspendedAndNothingIsReadAfter() {
        ReadTurns turns = idle();
        turns.suspend();
        assertTrue(turns.offerEnd());
        assertEquals(Next.REPORT_END, turns.next());
        assertFalse(turns.offer());
        assertFalse(turns.offerEnd());
        assertFalse(turns.resume());
        assertEquals(Next.STOP, turns.next());
    }

    @Test
    void theEndReadByTheReaderIsReportedNext() {
        ReadTurns turns = idle();
        assertTrue(turns.offer());
        turns.ended();
        assertEquals(Next.REPORT_END, turns.next());
        assertFalse(turns.offerEnd(), "the container's onAllDataRead after it");
    }

    @Test
    void theEndOfferedWhileTheReaderRunsIsReportedByIt() {
        ReadTurns turns = idle();
        assertTrue(turns.offer());
        assertEquals(Next.READ, turns.next());
        assertFalse(turns.offerEnd());
        assertFalse(turns.stopUnlessAsked());
        assertEquals(Next.REPORT_END, turns.next());
    }

    @Test
    void afterTheCloseNobodyReads() {
        ReadTurns turns = idle();
        turns.finish();
        assertFalse(turns.offer());
        turns.suspend();
        assertFalse(turns.resume());
        assertEquals(Next.STOP, turns.next());
    }

    /**
     * Threads that offer, suspend and resume at random, a resumer or offerer that gets the turn running
     * the reader's loop: never two readers at once, and every offer made while reading is not suspended
     * is followed by a read that began after it.
     */
    @Test
    void underContentionThereIsOneReaderAtATimeAndNoOfferIsLost() throws Exception {
        for (int round = 0; round < 200; round++) {
            ReadTurns turns = idle();
            AtomicInteger readers = new AtomicInteger();
            AtomicInteger mostReaders = new AtomicInteger();
            AtomicInteger offers = new AtomicInteger();
            AtomicInteger offersSeen = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            // Counts the threads between a READ and the next call on the turns: those that use the stream.
            Runnable reader = () -> {
                while (true) {
                    Next next = turns.next();
                    if (next != Next.READ) {
                        return;
                    }
                    mostReaders.accumulateAndGet(readers.incrementAndGet(), Math::max);
                    offersSeen.accumulateAndGet(offers.get(), Math::max); // this read sees them all
                    Thread.onSpinWait();
                    readers.decrementAndGet();
                    if (turns.stopUnlessAsked()) {
                        return;
                    }
                }
            };
            int threads = 4;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        for (int i = 0; i < 200; i++) {
                            int choice = random.nextInt(3);
                            if (choice == 0) {
                                turns.suspend();
                            } else if (choice == 1) {
                                if (turns.resume()) {
                                    reader.run();
                                }
                            } else {
                                offers.incrementAndGet();
                                if (turns.offer()) {
                                    reader.run();
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                thread.start();
                all.add(thread);
            }
            go.countDown();
            for (Thread thread : all) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertTrue(mostReaders.get() <= 1, "readers at once: " + mostReaders.get());
            // Unsuspended at the end, one more offer: every offer so far must have been seen by a read.
            if (turns.resume()) {
                reader.run();
            }
            int last = offers.incrementAndGet();
            if (turns.offer()) {
                reader.run();
            }
            assertEquals(0, readers.get());
            assertEquals(last, offersSeen.get(), "the last offer was lost");
        }
    }
}
