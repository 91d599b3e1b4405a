package io.breakwater.benchmarks.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void medianOfAnOddAndAnEvenNumberOfRounds() {
        assertEquals(new Spread(2.0, 1.0, 5.0, 3), Spread.of(List.of(5.0, 1.0, 2.0)));
        assertEquals(new Spread(2.5, 1.0, 4.0, 4), Spread.of(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(new Spread(7.0, 7.0, 7.0, 1), Spread.of(List.of(7.0)));
        assertNull(Spread.of(List.of()));
    }

    @Test
    void serversRotateOnePlaceEachRound() {
        List<String> servers = List.of("a", "b", "c");
        assertEquals(List.of("a", "b", "c"), ServerBenchmarks.rotated(servers, 0));
        assertEquals(List.of("b", "c", "a"), ServerBenchmarks.rotated(servers, 1));
        assertEquals(List.of("c", "a", "b"), ServerBenchmarks.rotated(servers, 2));
    }
}
