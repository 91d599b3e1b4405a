package io.breakwater.client;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The JVM's live threads, for tests that a container leaves none behind. A test takes a baseline, does
 * its work, and waits until no thread but the baseline's is left: threads of earlier tests that end
 * meanwhile do not matter, threads that started since and are still there do.
 */
final class LiveThreads {

    private final Set<Thread> baseline;

    private LiveThreads(Set<Thread> baseline) {
        this.baseline = baseline;
    }

    /** The threads alive now. */
    static LiveThreads baseline() {
        return new LiveThreads(alive());
    }

    /**
     * Waits up to {@code seconds} until no live thread's name is accepted by {@code names}, whenever it
     * started: for a baseline without threads that an earlier test left idling.
     *
     * @return those still there at the deadline: empty when all ended
     */
    static List<String> awaitNone(Predicate<String> names, long seconds) throws InterruptedException {
        return new LiveThreads(Set.of()).awaitGone(names, seconds);
    }

    /** The threads alive now that were not at the baseline, by name. */
    List<String> newThreads(Predicate<String> names) {
        return alive().stream()
                .filter(thread -> !baseline.contains(thread))
                .map(Thread::getName)
                .filter(names)
                .sorted()
                .toList();
    }

    /**
     * Waits up to {@code seconds} for every thread that started since the baseline, and whose name
     * {@code names} accepts, to end; polls, as a thread's end can be waited for only by whoever holds it.
     *
     * @return the threads still there at the deadline: empty when all ended
     */
    List<String> awaitGone(Predicate<String> names, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> left = newThreads(names);
        while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
            left = newThreads(names);
        }
        return left;
    }

    private static Set<Thread> alive() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }
}
