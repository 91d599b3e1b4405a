package io.breakwater.benchmarks.engine;

import io.breakwater.protocol.CloseStatus;
import io.breakwater.protocol.Connection;
import io.breakwater.protocol.ConnectionListener;
import io.breakwater.protocol.ProtocolException;
import io.breakwater.protocol.Utf8Validator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A server {@link Connection} receiving masked 64-byte text frames, each a whole message: header
 * decoding, unmasking in place, UTF-8 validation and delivery to a listener. One operation is one
 * frame.
 *
 * <p>Unmasking happens in place, so each invocation first restores the 1024 frames (70 KiB) from a
 * pristine template and then hands them to {@link Connection#receive} in one call. {@link #restoreOnly}
 * measures that restoring copy alone, per frame as well, so the engine's own cost per frame is
 * {@code 1/receive - 1/restoreOnly} (the table prints it). {@link #validateOnly} runs the UTF-8 check
 * alone on the same payloads, to show its share.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameParsingBenchmark {

    /** Frames per invocation. */
    public static final int FRAMES = 1024;
    /** Payload bytes per frame. */
    public static final int PAYLOAD = 64;
    /** Bytes per frame on the wire: two header bytes, four of mask key, the payload. */
    static final int FRAME_BYTES = 2 + 4 + PAYLOAD;

    /** Where the frames are read from: a heap buffer, or a direct one as a socket read fills. */
    public enum BufferKind {
        heap, direct;

        ByteBuffer allocate(int capacity) {
            return this == heap ? ByteBuffer.allocate(capacity) : ByteBuffer.allocateDirect(capacity);
        }
    }

    /** The input of {@link #receive}: the frames, the buffer they are read from, the connection. */
    @State(Scope.Thread)
    public static class Input {

        /** {@code ascii}: JSON-ish, all ASCII; {@code utf8}: JSON-ish with about a third of the bytes multi-byte. */
        @Param({"ascii", "utf8"})
        public String payload;

        @Param({"heap", "direct"})
        public BufferKind buffer;

        byte[] template;
        ByteBuffer wire;
        Connection connection;
        BlackholeListener listener;
        /** The payloads alone, unmasked, back to back, for {@link #validateOnly}. */
        ByteBuffer payloads;
        final Utf8Validator validator = new Utf8Validator();

        @Setup
        public void setUp(Blackhole blackhole) {
            template = frames(payload.equals("utf8"));
            wire = buffer.allocate(template.length);
            checkOneRound();
            payloads = buffer.allocate(FRAMES * PAYLOAD);
            restore(template, wire);
            for (int frame = 0; frame < FRAMES; frame++) {
                int at = frame * FRAME_BYTES;
                int key = wire.getInt(at + 2);
                for (int i = 0; i < PAYLOAD; i++) {
                    payloads.put(frame * PAYLOAD + i, (byte) (wire.get(at + 6 + i) ^ (key >>> (24 - 8 * (i & 3)))));
                }
            }
            listener = new BlackholeListener(blackhole);
            connection = Connection.server(listener, (header, body) -> {
                throw new IllegalStateException("the server wrote a frame while receiving");
            }, null);
        }

        /** Feeds the frames to a counting connection once, to make sure every frame arrives whole and valid. */
        private void checkOneRound() {
            CountingListener counter = new CountingListener();
            Connection check = Connection.server(counter, (header, body) -> {
                throw new IllegalStateException("the server wrote a frame while receiving");
            }, null);
            restore(template, wire);
            check.receive(wire);
            if (!check.isOpen() || counter.messages != FRAMES || counter.bytes != (long) FRAMES * PAYLOAD) {
                throw new IllegalStateException("the frames did not arrive as expected: " + counter.messages
                        + " messages, " + counter.bytes + " bytes, connection " + check.state());
            }
        }
    }

    /** The input of {@link #restoreOnly}: the same bytes and buffers, without the payload choice. */
    @State(Scope.Thread)
    public static class CopyInput {

        @Param({"heap", "direct"})
        public BufferKind buffer;

        byte[] template;
        ByteBuffer wire;

        @Setup
        public void setUp() {
            template = frames(false);
            wire = buffer.allocate(template.length);
        }
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void receive(Input input) {
        restore(input.template, input.wire);
        input.connection.receive(input.wire);
        if (!input.connection.isOpen()) {
            throw new IllegalStateException("the connection closed: " + input.listener.closed);
        }
    }

    /** The copy that {@link #receive} makes before parsing, alone. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public ByteBuffer restoreOnly(CopyInput input) {
        restore(input.template, input.wire);
        return input.wire;
    }

    /**
     * The UTF-8 check alone, on the same (unmasked) payloads as {@link #receive}, a message at a time:
     * what validation takes of the engine's cost per frame.
     */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void validateOnly(Input input) {
        ByteBuffer payloads = input.payloads;
        Utf8Validator validator = input.validator;
        for (int at = 0; at < FRAMES * PAYLOAD; at += PAYLOAD) {
            validator.reset();
            payloads.limit(at + PAYLOAD).position(at);
            if (!validator.accept(payloads) || !validator.isComplete()) {
                throw new IllegalStateException("invalid UTF-8 at " + at);
            }
        }
    }

    static void restore(byte[] template, ByteBuffer wire) {
        wire.clear();
        wire.put(0, template); // System.arraycopy for a heap buffer, a memory copy for a direct one
    }

    // ------------------------------------------------------------------------------------- the frames

    private static final String[] ASCII_WORDS = {
        "hello", "there", "meeting", "at", "noon", "ok", "thanks", "see", "you", "soon", "deploy", "done",
        "build", "green", "lunch", "?", "ship", "it", "review", "please", "the", "new", "branch", "later",
    };

    private static final String[] MIXED_WORDS = {
        "Grüße", "aus", "Köln", "ça", "va", "naïve", "café", "東京", "で", "会いましょう", "👋", "🎉", "Ωμέγα",
        "спасибо", "ok", "señor", "日本語", "déjà", "vu", "Zürich", "😀", "привет", "łódź", "straße",
    };

    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    private static final String[] MIXED_USERS = {"zoë", "jürgen", "åsa", "søren", "josé", "李雷", "ольга", "maël"};

    /** {@link #FRAMES} masked text frames with {@link #PAYLOAD}-byte payloads, seeded: the same every run. */
    static byte[] frames(boolean mixed) {
        SplittableRandom random = new SplittableRandom(mixed ? 7692 : 6455);
        ByteArrayOutputStream out = new ByteArrayOutputStream(FRAMES * FRAME_BYTES);
        for (int i = 0; i < FRAMES; i++) {
            byte[] payload = jsonPayload(random, i, mixed);
            Frames.appendMasked(out, Frames.FIN | Frames.TEXT, payload, random.nextInt());
        }
        byte[] frames = out.toByteArray();
        if (frames.length != FRAMES * FRAME_BYTES) {
            throw new IllegalStateException("unexpected frame bytes: " + frames.length);
        }
        return frames;
    }

    /** A JSON-ish chat message of exactly {@link #PAYLOAD} bytes of UTF-8. */
    static byte[] jsonPayload(SplittableRandom random, int id, boolean mixed) {
        String[] users = mixed ? MIXED_USERS : USERS;
        String[] words = mixed ? MIXED_WORDS : ASCII_WORDS;
        String head = "{\"id\":" + id + ",\"u\":\"" + users[random.nextInt(users.length)] + "\",\"t\":\"";
        String tail = "\"}";
        int budget = PAYLOAD - utf8Length(head) - utf8Length(tail);
        StringBuilder text = new StringBuilder();
        while (true) {
            String word = words[random.nextInt(words.length)];
            int needed = utf8Length(word) + (text.length() == 0 ? 0 : 1);
            if (utf8Length(text) + needed > budget) {
                break;
            }
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(word);
        }
        while (utf8Length(text) < budget) {
            text.append('.');
        }
        byte[] payload = (head + text + tail).getBytes(StandardCharsets.UTF_8);
        if (payload.length != PAYLOAD) {
            throw new IllegalStateException("payload of " + payload.length + " bytes");
        }
        return payload;
    }

    private static int utf8Length(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    // --------------------------------------------------------------------------------------- listeners

    /** Consumes each piece as an application would have to at least look at it. */
    static final class BlackholeListener implements ConnectionListener {
        private final Blackhole blackhole;
        CloseStatus closed;

        BlackholeListener(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

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
            closed = status;
        }
    }

    static final class CountingListener implements ConnectionListener {
        long messages;
        long bytes;
        ProtocolException error;

        @Override
        public void onText(ByteBuffer utf8, boolean last) {
            bytes += utf8.remaining();
            if (last) {
                messages++;
            }
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
            throw new IllegalStateException("binary message");
        }

        @Override
        public void onProtocolError(ProtocolException error) {
            this.error = error;
        }

        @Override
        public void onClose(CloseStatus status) {
            throw new IllegalStateException("closed: " + status, error);
        }
    }
}
