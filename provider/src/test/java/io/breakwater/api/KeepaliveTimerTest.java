package io.breakwater.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The keepalive's decisions on a clock of the test's: when a quiet peer is pinged, and when it is given up. */
class KeepaliveTimerTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** A clock and a timer that run what is due when the test moves time on. */
    private static final class ManualTime {
        private record Due(long at, long order, Runnable task) {
        }

        private final PriorityQueue<Due> due = new PriorityQueue<>(
                (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
        private long now = 1_000 * SECOND; // nanoTime may be anything, negative included; not 0 on purpose
        private long order;

        Future<?> schedule(Runnable task, long delayNanos) {
            due.add(new Due(now + delayNanos, order++, task));
            return new CompletableFuture<>();
        }

        long now() {
            return now;
        }

        void advanceSeconds(double seconds) {
            long until = now + (long) (seconds * SECOND);
            while (!due.isEmpty() && due.peek().at <= until) {
                Due next = due.poll();
                now = next.at;
                next.task.run();
            }
            now = until;
        }
    }

    /** The session as the timer sees it: records pings and the give-up. */
    private static final class RecordingPeer implements KeepaliveTimer.Peer {
        private final ManualTime time;
        final List<Long> pings = new ArrayList<>();
        final List<Long> silences = new ArrayList<>();
        long lastHeard;

        RecordingPeer(ManualTime time) {
            this.time = time;
            this.lastHeard = time.now();
        }

        void hear() {
            lastHeard = time.now();
        }

        @Override
        public long lastHeardNanos() {
            return lastHeard;
        }

        @Override
        public boolean ping() {
            pings.add(time.now());
            return true;
        }

        @Override
        public void silent(long waitedMillis) {
            silences.add(waitedMillis);
        }
    }

    private final ManualTime time = new ManualTime();
    private final RecordingPeer peer = new RecordingPeer(time);
    private final KeepaliveTimer timer =
            new KeepaliveTimer(new Keepalive(20_000, 10_000), time::schedule, time::now, peer);

    @Test
    void aQuietPeerIsPingedAfterTheIntervalAndGivenUpWhenNothingAnswers() {
        long start = time.now();
        timer.start();
        time.advanceSeconds(19.9);
        assertEquals(List.of(), peer.pings, "no ping before 20 s of quiet");
        time.advanceSeconds(0.2);
        assertEquals(List.of(start + 20 * SECOND), peer.pings);
        time.advanceSeconds(9.8);
        assertEquals(List.of(), peer.silences, "the peer has 10 s to answer");
        time.advanceSeconds(0.3);
        assertEquals(List.of(10_000L), peer.silences);
        time.advanceSeconds(120);
        assertEquals(1, peer.pings.size(), "nothing more once given up");
        assertEquals(1, peer.silences.size());
    }

    @Test
    void aPeerThatIsHeardFromIsNeverPinged() {
        timer.start();
        for (int i = 0; i < 30; i++) {
            time.advanceSeconds(15);
            peer.hear();
        }
        assertEquals(List.of(), peer.pings);
        assertEquals(List.of(), peer.silences);
    }

    @Test
    void anAnsweredPingIsFollowedByAnotherAfterTheNextQuietInterval() {
        long start = time.now();
        timer.start();
        time.advanceSeconds(21);
        time.advanceSeconds(1); // the pong, 1 s after the ping
        peer.hear();
        long answeredAt = time.now();
        time.advanceSeconds(25); // the second ping at 20 s after the answer; its answer not yet due
        assertEquals(List.of(), peer.silences);
        assertEquals(List.of(start + 20 * SECOND, answeredAt + 20 * SECOND), peer.pings,
                "quiet counts from the answer");
    }

    @Test
    void anyInputAfterThePingCountsAsAnAnswer() {
        timer.start();
        time.advanceSeconds(20);
        assertEquals(1, peer.pings.size());
        time.advanceSeconds(5);
        peer.hear(); // a data frame, say, with the pong still behind it
        time.advanceSeconds(10);
        assertEquals(List.of(), peer.silences);
    }

    @Test
    void aStoppedTimerPingsNoMore() {
        timer.start();
        time.advanceSeconds(10);
        timer.stop();
        time.advanceSeconds(100);
        assertEquals(List.of(), peer.pings);
        assertEquals(List.of(), peer.silences);
    }

    @Test
    void userPropertiesChangeTheKeepaliveOfOneEndpoint() {
        assertEquals(new Keepalive(5_000, 1_000), Keepalive.DEFAULT.with(Map.of(
                Keepalive.INTERVAL_PROPERTY, 5_000, Keepalive.TIMEOUT_PROPERTY, "1000")));
        assertEquals(Keepalive.OFF, Keepalive.DEFAULT.with(Map.of(Keepalive.INTERVAL_PROPERTY, "0")));
        assertEquals(Keepalive.DEFAULT, Keepalive.DEFAULT.with(Map.of()));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Keepalive.DEFAULT.with(Map.of(Keepalive.TIMEOUT_PROPERTY, "soon")));
        assertTrue(bad.getMessage().contains(Keepalive.TIMEOUT_PROPERTY) && bad.getMessage().contains("soon"),
                bad.getMessage());
    }
}
