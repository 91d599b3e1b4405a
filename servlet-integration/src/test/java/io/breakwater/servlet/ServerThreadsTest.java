package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The default callback limit: a quarter of the container's pool, 1 to 64, 50 where the pool is unknown. */
class ServerThreadsTest {

    @Test
    void theDefaultLimitIsAQuarterOfTheContainersPoolWithinBounds() {
        assertEquals(50, ServerThreads.defaultCallbackThreads(200), "Jetty's default pool");
        assertEquals(2, ServerThreads.defaultCallbackThreads(10));
        assertEquals(1, ServerThreads.defaultCallbackThreads(3), "at least one");
        assertEquals(64, ServerThreads.defaultCallbackThreads(1000), "at most 64");
        assertEquals(50, ServerThreads.defaultCallbackThreads(0), "a pool that cannot be read counts as 200");
    }
}
