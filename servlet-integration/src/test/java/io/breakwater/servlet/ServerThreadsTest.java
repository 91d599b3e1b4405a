package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The default callback limit (a quarter of the container's pool, 1 to 64, 50 where unknown) and the timer. */
class ServerThreadsTest {

    @Test
    void theDefaultLimitIsAQuarterOfTheContainersPoolWithinBounds() {
        assertEquals(50, ServerThreads.defaultCallbackThreads(200), "Jetty's default pool");
        assertEquals(2, ServerThreads.defaultCallbackThreads(10));
        assertEquals(1, ServerThreads.defaultCallbackThreads(3), "at least one");
        assertEquals(64, ServerThreads.defaultCallbackThreads(1000), "at most 64");
        assertEquals(50, ServerThreads.defaultCallbackThreads(0), "a pool that cannot be read counts as 200");
    }

    @Test
    void aCancelledTimerTaskLeavesTheQueueAtOnce() {
        // A closed session cancels its idle and keepalive checks: kept until due, they would keep its memory.
        ServerThreads threads = new ServerThreads(1);
        try {
            ScheduledFuture<?> check = threads.timers().schedule(() -> { }, 1, TimeUnit.HOURS);
            ScheduledThreadPoolExecutor timers = (ScheduledThreadPoolExecutor) threads.timers();
            assertEquals(1, timers.getQueue().size());
            check.cancel(false);
            assertEquals(0, timers.getQueue().size());
        } finally {
            threads.shutdown();
        }
    }
}
