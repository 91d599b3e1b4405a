package io.breakwater.benchmarks.engine;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The data every compression benchmark shares: the {@link ChatMessages} corpus as it is, and as the
 * wire payloads a peer with context takeover sends for it, message after message from a fresh
 * compressor ({@link #compressed}, sync-flush tail stripped).
 *
 * <p>Decompressing benchmarks must take the compressed messages in order, from index 0, with one
 * decompressor. Wrapping from the last message back to the first is safe: the first was compressed
 * with an empty window, so it refers to nothing before it, and every later message refers only to
 * bytes from the first on, which are in the decompressor's window again by then.
 */
@State(Scope.Benchmark)
public class DeflateCorpus {

    /** The compression level of the precompressed messages: zlib's default, 6. */
    public static final int LEVEL = Deflater.DEFAULT_COMPRESSION;

    /** The messages, as UTF-8 JSON. */
    public byte[][] messages;
    /** The wire payload of each message, compressed with context takeover, in order. */
    public byte[][] compressed;
    /** The longest message, for sizing output buffers. */
    public int maxMessage;
    public long totalBytes;
    public long totalCompressed;

    @Setup(Level.Trial)
    public void setUp() throws DataFormatException {
        messages = ChatMessages.generate();
        compressed = new byte[messages.length][];
        Deflater deflater = RawDeflate.newDeflater(LEVEL);
        try {
            for (int i = 0; i < messages.length; i++) {
                byte[] out = new byte[RawDeflate.bound(messages[i].length)];
                compressed[i] = Arrays.copyOf(out, RawDeflate.compress(deflater, messages[i], out));
                maxMessage = Math.max(maxMessage, messages[i].length);
                totalBytes += messages[i].length;
                totalCompressed += compressed[i].length;
            }
        } finally {
            deflater.end();
        }
        checkRoundTrip();
    }

    /** Decompresses two rounds of the corpus, wrap included, and compares with the messages. */
    private void checkRoundTrip() throws DataFormatException {
        Inflater inflater = RawDeflate.newInflater();
        try {
            byte[] out = new byte[maxMessage + 1];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < messages.length; i++) {
                    int length = RawDeflate.decompress(inflater, compressed[i], compressed[i].length, out);
                    if (!Arrays.equals(out, 0, length, messages[i], 0, messages[i].length)) {
                        throw new IllegalStateException("message " + i + " did not survive the round trip");
                    }
                }
            }
        } finally {
            inflater.end();
        }
    }
}
