package io.breakwater.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void tasksRunInTheOrderSubmittedOneAtATime() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool);
        List<Integer> order = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1000);
        for (int i = 0; i < 1000; i++) {
            int number = i;
            serial.execute(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(number);
                running.decrementAndGet();
                done.countDown();
            });
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(IntStream.range(0, 1000).boxed().toList(), order);
        assertEquals(1, mostAtOnce.get());
    }

    @Test
    void queuedTasksRunOnTheThreadThatAsks() {
        SerialExecutor serial = new SerialExecutor(pool);
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        serial.enqueue(() -> ranOn.add(Thread.currentThread()));
        serial.enqueue(() -> ranOn.add(Thread.currentThread()));
        assertTrue(ranOn.isEmpty(), "enqueue alone runs nothing");

        serial.runHere();

        assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), ranOn);
    }

    @Test
    void startHandsQueuedTasksToThePool() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool);
        CountDownLatch ran = new CountDownLatch(1);
        Thread[] ranOn = new Thread[1];
        serial.enqueue(() -> {
            ranOn[0] = Thread.currentThread();
            ran.countDown();
        });
        serial.start();
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        assertNotSame(Thread.currentThread(), ranOn[0]);
    }

    @Test
    void whileAnotherThreadRunsTheTasksThatThreadRunsTheNewOnesAfterItsOwn() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool);
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch secondRan = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        Thread[] threads = new Thread[2];
        serial.execute(() -> {
            firstStarted.countDown();
            await(releaseFirst);
            threads[0] = Thread.currentThread();
            order.add("first");
        });
        assertTrue(firstStarted.await(10, TimeUnit.SECONDS));
        serial.enqueue(() -> {
            threads[1] = Thread.currentThread();
            order.add("second");
            secondRan.countDown();
        });

        serial.runHere(); // returns at once: the pool thread is running this executor's tasks
        assertTrue(order.isEmpty());
        releaseFirst.countDown();

        assertTrue(secondRan.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("first", "second"), order);
        assertSame(threads[0], threads[1]);
    }

    @Test
    void whenThePoolHasStoppedTheTasksRunOnTheSubmittingThread() {
        pool.shutdown();
        SerialExecutor serial = new SerialExecutor(pool);
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        serial.execute(() -> ranOn.add(Thread.currentThread()));
        assertEquals(List.of(Thread.currentThread()), ranOn);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
