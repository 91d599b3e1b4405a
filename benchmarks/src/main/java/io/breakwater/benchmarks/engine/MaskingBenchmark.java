package io.breakwater.benchmarks.engine;

import io.breakwater.protocol.Masking;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Unmasking a 64 KiB payload in place (RFC 6455 §5.3) with {@link Masking#mask}, eight bytes at a
 * time, against a byte-at-a-time loop. One operation is one byte, so the score is bytes per second.
 *
 * <p>Masking is its own inverse: the buffer flips between masked and unmasked from one invocation to
 * the next, which costs the same either way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MaskingBenchmark {

    /** Payload bytes per invocation. */
    public static final int PAYLOAD = 64 * 1024;

    private static final int MASK_KEY = 0x37FA213D;

    private ByteBuffer heap;
    private ByteBuffer direct;

    @Setup
    public void setUp() {
        byte[] bytes = new byte[PAYLOAD];
        new SplittableRandom(6455).nextBytes(bytes);
        heap = ByteBuffer.allocate(PAYLOAD).put(bytes).flip();
        direct = ByteBuffer.allocateDirect(PAYLOAD).put(bytes).flip();
    }

    @Benchmark
    @OperationsPerInvocation(PAYLOAD)
    public ByteBuffer maskHeap() {
        Masking.mask(heap, 0, PAYLOAD, MASK_KEY, 0);
        return heap;
    }

    @Benchmark
    @OperationsPerInvocation(PAYLOAD)
    public ByteBuffer maskDirect() {
        Masking.mask(direct, 0, PAYLOAD, MASK_KEY, 0);
        return direct;
    }

    /** The baseline: what a first implementation does, one absolute get and put per byte. */
    @Benchmark
    @OperationsPerInvocation(PAYLOAD)
    public ByteBuffer naiveHeap() {
        naiveMask(heap, 0, PAYLOAD, MASK_KEY);
        return heap;
    }

    @Benchmark
    @OperationsPerInvocation(PAYLOAD)
    public ByteBuffer naiveDirect() {
        naiveMask(direct, 0, PAYLOAD, MASK_KEY);
        return direct;
    }

    static void naiveMask(ByteBuffer buffer, int from, int to, int maskKey) {
        for (int i = from; i < to; i++) {
            int keyByte = maskKey >>> (24 - 8 * ((i - from) & 3));
            buffer.put(i, (byte) (buffer.get(i) ^ keyByte));
        }
    }
}
