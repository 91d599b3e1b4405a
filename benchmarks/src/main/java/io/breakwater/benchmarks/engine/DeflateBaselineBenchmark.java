package io.breakwater.benchmarks.engine;

import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * RFC 7692 compression of ~1 KiB JSON chat messages with plain {@link Deflater} / {@link Inflater}
 * (see {@link RawDeflate}): what permessage-deflate costs at the least, before any framing or
 * buffering of ours. One operation is one message; the table converts to MB/s of uncompressed JSON
 * with {@link ChatMessages#meanSize()}.
 *
 * <p>Each benchmark thread has its own compressor and decompressor, kept for the whole trial (context
 * takeover), and walks the {@link DeflateCorpus} in order. Decompression reads the corpus as compressed
 * at {@link DeflateCorpus#LEVEL}; the level matters little to inflating.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DeflateBaselineBenchmark {

    /** A compressor kept across messages, at a given level. */
    @State(Scope.Thread)
    public static class Compressor {
        /** zlib's level: 1 is the fastest, 6 the default ({@link Deflater#DEFAULT_COMPRESSION}). */
        @Param({"1", "6"})
        public int level;

        Deflater deflater;
        byte[] out;
        int next;

        @Setup
        public void setUp(DeflateCorpus corpus) {
            deflater = RawDeflate.newDeflater(level);
            out = new byte[RawDeflate.bound(corpus.maxMessage)];
        }

        @TearDown
        public void tearDown() {
            deflater.end();
        }
    }

    /** A decompressor kept across messages, walking the precompressed corpus in order. */
    @State(Scope.Thread)
    public static class Decompressor {
        Inflater inflater;
        byte[] out;
        int next;

        @Setup
        public void setUp(DeflateCorpus corpus) {
            inflater = RawDeflate.newInflater();
            out = new byte[corpus.maxMessage + 1];
        }

        @TearDown
        public void tearDown() {
            inflater.end();
        }
    }

    /** Compresses the next message, keeping the window from the ones before (context takeover). */
    @Benchmark
    public int jdkCompress(DeflateCorpus corpus, Compressor compressor) {
        byte[] message = corpus.messages[compressor.next];
        compressor.next = (compressor.next + 1) & (ChatMessages.COUNT - 1);
        return RawDeflate.compress(compressor.deflater, message, compressor.out);
    }

    /** Decompresses the next wire payload, with the tail appended as a second input. */
    @Benchmark
    public int jdkDecompress(DeflateCorpus corpus, Decompressor decompressor) throws DataFormatException {
        byte[] payload = corpus.compressed[decompressor.next];
        decompressor.next = (decompressor.next + 1) & (ChatMessages.COUNT - 1);
        return RawDeflate.decompress(decompressor.inflater, payload, payload.length, decompressor.out);
    }
}
