package io.breakwater.benchmarks.engine;

import io.breakwater.protocol.CloseStatus;
import io.breakwater.protocol.Connection;
import io.breakwater.protocol.ConnectionListener;
import io.breakwater.protocol.FrameOutput;
import io.breakwater.protocol.MaskKeySource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
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
 * Sending whole messages as single frames: a server writes the header and passes the caller's bytes
 * on as a view; a client masks them into a copy, with keys from {@link MaskKeySource#secure()} as in
 * production. The frame output only hands both buffers to a Blackhole, so this is the engine's cost
 * per message, not a transport's. One operation is one message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameWritingBenchmark {

    /** Payload bytes per message. */
    @Param({"64", "65536"})
    public int size;

    private ByteBuffer text;
    private ByteBuffer binary;
    private Connection server;
    private Connection client;

    @Setup
    public void setUp(Blackhole blackhole) {
        StringBuilder json = new StringBuilder(size);
        SplittableRandom random = new SplittableRandom(1);
        while (json.length() < size) {
            json.append("{\"id\":").append(random.nextInt(1_000_000)).append(",\"text\":\"hello\"},");
        }
        text = ByteBuffer.wrap(json.substring(0, size).getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        binary = ByteBuffer.wrap(bytes);

        FrameOutput output = (header, payload) -> {
            blackhole.consume(header);
            blackhole.consume(payload);
        };
        server = Connection.server(IGNORING, output, null);
        client = Connection.client(IGNORING, output, null, MaskKeySource.secure());
    }

    @Benchmark
    public void serverText() {
        server.sendText(text, true);
    }

    @Benchmark
    public void serverBinary() {
        server.sendBinary(binary, true);
    }

    @Benchmark
    public void clientText() {
        client.sendText(text, true);
    }

    @Benchmark
    public void clientBinary() {
        client.sendBinary(binary, true);
    }

    private static final ConnectionListener IGNORING = new ConnectionListener() {
        @Override
        public void onText(ByteBuffer utf8, boolean last) {
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
        }

        @Override
        public void onClose(CloseStatus status) {
        }
    };
}
