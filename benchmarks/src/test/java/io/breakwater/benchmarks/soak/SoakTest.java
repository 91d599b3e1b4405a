package io.breakwater.benchmarks.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short soak of every build: 1,000 connections from four loopback addresses echo for a few seconds
 * against Breakwater in embedded Jetty in this JVM; the full one (10,000) is run by hand (README).
 */
class SoakTest {

    @Test
    @Timeout(600)
    void aThousandConnectionsEchoExactlyOnceInOrderAndTheServerReturnsToItsStartingLevels() throws Exception {
        Soak.Report report = Soak.run(new Soak.Settings(null, 1_000, Soak.loopbackSources(4), Duration.ofSeconds(5),
                4, 32, Duration.ofSeconds(150), 16L << 20, 2));
        System.out.print(report.describe());
        assertEquals(1_000, report.result().opened(), report.describe());
        assertTrue(report.result().exactlyOnceInOrder(), report.describe());
        assertTrue(report.result().received() > 0, report.describe());
        assertTrue(report.returned(), report.describe());
    }
}
