package io.breakwater.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The callback limit: who runs a callback, a reading thread or the pool, and how many run at once. */
class CallbackThreadsTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void aReadingThreadRunsTheCallbackItselfWhileUnderTheLimit() {
        CallbackThreads threads = CallbackThreads.limited(pool, 1);
        Thread[] ranOn = new Thread[1];
        assertTrue(threads.tryRunHere(() -> ranOn[0] = Thread.currentThread()));
        assertEquals(Thread.currentThread(), ranOn[0]);
    }

    @Test
    void atTheLimitTheReadingThreadRunsNothingAndThePoolWaitsForAVacancy() throws Exception {
        CallbackThreads threads = CallbackThreads.limited(pool, 2);
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Runnable blocking = () -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            bothRunning.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        };
        threads.execute(blocking);
        threads.execute(blocking);
        assertTrue(bothRunning.await(10, TimeUnit.SECONDS));

        AtomicBoolean ranHere = new AtomicBoolean();
        assertFalse(threads.tryRunHere(() -> ranHere.set(true)));
        assertFalse(ranHere.get());
        CountDownLatch third = new CountDownLatch(1);
        threads.execute(() -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            running.decrementAndGet();
            third.countDown();
        });
        assertFalse(third.await(200, TimeUnit.MILLISECONDS), "a third callback started at the limit");

        release.countDown();
        assertTrue(third.await(10, TimeUnit.SECONDS));
        // A callback holds its vacancy until it has returned, and a latch it counts down says only that it
        // has begun to return: the first two may not have given theirs back yet, nor the third. Once the
        // pool has finished every task, all of them have; a reading thread then runs a callback itself again.
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(2, mostAtOnce.get());
        // Both vacancies are back: two callbacks may run on reading threads at once, and a third may not.
        AtomicBoolean secondRan = new AtomicBoolean();
        AtomicBoolean thirdRefused = new AtomicBoolean();
        assertTrue(threads.tryRunHere(() -> {
            ranHere.set(true);
            secondRan.set(threads.tryRunHere(() -> thirdRefused.set(!threads.tryRunHere(() -> { }))));
        }));
        assertTrue(ranHere.get());
        assertTrue(secondRan.get());
        assertTrue(thirdRefused.get());
    }

    @Test
    void withoutALimitTheReadingThreadAlwaysRunsTheCallback() {
        CallbackThreads threads = CallbackThreads.unlimited(pool);
        for (int i = 0; i < 3; i++) {
            AtomicBoolean ran = new AtomicBoolean();
            assertTrue(threads.tryRunHere(() -> ran.set(true)));
            assertTrue(ran.get());
        }
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CallbackThreads.limited(pool, 0));
    }
}
