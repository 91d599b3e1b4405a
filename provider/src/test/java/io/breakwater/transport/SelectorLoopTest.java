package io.breakwater.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SelectorLoopTest {

    @Test
    void tasksRunInOrderOnOneNamedDaemonThread() throws Exception {
        try (SelectorLoop loop = new SelectorLoop("named-loop")) {
            loop.start();
            List<Integer> order = new CopyOnWriteArrayList<>();
            CompletableFuture<Thread> thread = new CompletableFuture<>();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                loop.execute(() -> order.add(n));
            }
            loop.execute(() -> thread.complete(Thread.currentThread()));
            Thread t = thread.get(10, TimeUnit.SECONDS);
            assertEquals("named-loop", t.getName());
            assertTrue(t.isDaemon());
            assertEquals(1000, order.size());
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, order.get(i));
            }
            assertFalse(loop.inLoop());
            assertTrue(loop.isRunning());
        }
    }

    @Test
    void aTaskSubmittedOnTheLoopRunsAfterTheCurrentOneNotInside() throws Exception {
        try (SelectorLoop loop = new SelectorLoop()) {
            loop.start();
            List<String> events = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            loop.execute(() -> {
                assertTrue(loop.inLoop());
                loop.execute(() -> {
                    events.add("inner");
                    done.countDown();
                });
                events.add("outer ends");
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("outer ends", "inner"), events);
        }
    }

    @Test
    void aFailingTaskDoesNotStopTheLoop() throws Exception {
        try (SelectorLoop loop = new SelectorLoop()) {
            loop.start();
            loop.execute(() -> {
                throw new IllegalStateException("expected by the test");
            });
            CountDownLatch ran = new CountDownLatch(1);
            loop.execute(ran::countDown);
            assertTrue(ran.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void timeoutsRunByDeadlineAndCanBeCancelled() throws Exception {
        try (SelectorLoop loop = new SelectorLoop()) {
            loop.start();
            List<String> fired = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            // Taken before scheduling: taken after it, a pause of this thread in between (a loaded machine)
            // shortened what was measured, and a timeout that kept its deadline looked early.
            long started = System.nanoTime();
            // The loop runs no timeout until this thread has scheduled them all and cancelled one: else a pause
            // of this thread past 100 ms let the one to cancel come due and run first.
            CountDownLatch scheduled = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    scheduled.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            loop.schedule(Duration.ofMillis(150), () -> {
                fired.add("late");
                done.countDown();
            });
            loop.schedule(Duration.ofMillis(50), () -> fired.add("early"));
            SelectorLoop.Timeout cancelled = loop.schedule(Duration.ofMillis(100), () -> fired.add("cancelled"));
            cancelled.cancel();
            scheduled.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(150), "ran before its deadline");
            assertEquals(List.of("early", "late"), fired);
        }
    }

    @Test
    void executeIsRefusedBeforeStartAndAfterStop() {
        SelectorLoop loop = new SelectorLoop();
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
        loop.start();
        assertThrows(IllegalStateException.class, loop::start);
        loop.stop();
        assertFalse(loop.isRunning());
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
        loop.stop(); // again: nothing happens
    }

    @Test
    void stopRunsTheTasksAlreadyQueuedAndEndsTheThread() throws Exception {
        SelectorLoop loop = new SelectorLoop("stopping");
        loop.start();
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        loop.execute(() -> thread.complete(Thread.currentThread()));
        CountDownLatch ran = new CountDownLatch(1);
        loop.execute(() -> {
            loop.stop(); // from the loop itself: does not wait for itself
            ran.countDown();
        });
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        thread.get(10, TimeUnit.SECONDS).join(10_000);
        assertFalse(thread.get().isAlive());
    }
}
