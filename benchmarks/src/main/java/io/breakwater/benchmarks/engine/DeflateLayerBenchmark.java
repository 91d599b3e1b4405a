package io.breakwater.benchmarks.engine;

import io.breakwater.deflate.DeflateConfig;
import io.breakwater.deflate.DeflateParameters;
import io.breakwater.protocol.CloseStatus;
import io.breakwater.protocol.Connection;
import io.breakwater.protocol.ConnectionListener;
import io.breakwater.protocol.Role;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The same ~1 KiB JSON messages as {@link DeflateBaselineBenchmark}, through Breakwater's whole path:
 * a server {@link Connection} with permessage-deflate (context takeover) sending each message as a
 * compressed frame, and receiving each as a masked RSV1 frame (unmasking, inflating, UTF-8 validation).
 * The difference to the baseline is the cost of our layer. One operation is one message.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DeflateLayerBenchmark {

    private static final DeflateParameters CONTEXT_TAKEOVER = new DeflateParameters(false, false, 15, 15);

    /** A sending connection, its compressor kept across messages. */
    @State(Scope.Thread)
    public static class Sender {
        @Param({"1", "6"})
        public int level;

        Connection connection;
        Blackhole wire;
        int next;

        @Setup
        public void setUp(Blackhole blackhole) {
            wire = blackhole;
            DeflateConfig config = DeflateConfig.DEFAULTS.withCompressionLevel(level);
            connection = Connection.server(new Discard(blackhole), (header, payload) -> {
                wire.consume(header);
                wire.consume(payload);
            }, CONTEXT_TAKEOVER.newExtension(Role.SERVER, config));
        }
    }

    /** A receiving connection and the corpus as masked compressed frames, restored before each receive. */
    @State(Scope.Thread)
    public static class Receiver {
        Connection connection;
        byte[][] frames;
        ByteBuffer input;
        int next;

        @Setup
        public void setUp(DeflateCorpus corpus, Blackhole blackhole) {
            connection = Connection.server(new Discard(blackhole), (header, payload) -> { },
                    CONTEXT_TAKEOVER.newExtension(Role.SERVER, DeflateConfig.DEFAULTS));
            frames = new byte[corpus.compressed.length][];
            int longest = 0;
            for (int i = 0; i < frames.length; i++) {
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                Frames.appendMasked(frame, Frames.FIN | Frames.RSV1 | Frames.TEXT, corpus.compressed[i], 0x5A17C3E9 + i);
                frames[i] = frame.toByteArray();
                longest = Math.max(longest, frames[i].length);
            }
            input = ByteBuffer.allocate(longest);
        }
    }

    /** Compresses and frames the next message. */
    @Benchmark
    public void breakwaterSend(DeflateCorpus corpus, Sender sender) {
        byte[] message = corpus.messages[sender.next];
        sender.next = (sender.next + 1) & (ChatMessages.COUNT - 1);
        sender.connection.sendText(ByteBuffer.wrap(message), true);
    }

    /** Parses, unmasks, inflates and validates the next message, in corpus order (see {@link DeflateCorpus}). */
    @Benchmark
    public void breakwaterReceive(Receiver receiver) {
        byte[] frame = receiver.frames[receiver.next];
        receiver.next = (receiver.next + 1) & (ChatMessages.COUNT - 1);
        ByteBuffer input = receiver.input.clear();
        input.put(frame).flip();
        receiver.connection.receive(input);
        if (!receiver.connection.isOpen()) {
            throw new IllegalStateException("the connection closed: the corpus did not decode");
        }
    }

    /** Consumes what a connection delivers. */
    private record Discard(Blackhole blackhole) implements ConnectionListener {
        @Override
        public void onText(ByteBuffer utf8, boolean last) {
            blackhole.consume(utf8.remaining());
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
            blackhole.consume(data.remaining());
        }

        @Override
        public void onClose(CloseStatus status) {
            throw new IllegalStateException("closed: " + status);
        }
    }
}
