package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.breakwater.transport.TransportHandler;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.WebConnection;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ServletTransport} on streams that stand for a container's: the handler and the streams are
 * called with no lock of the transport held, so that a thread inside either may wait for another that
 * calls the transport, as a session's monitors make it do (a callback thread resumes reading while
 * the container's thread is in onData and about to need what the callback thread holds).
 */
class ServletTransportTest {

    /** How long another thread's call into the transport may take: generous, a loaded machine too. */
    private static final long CALL_SECONDS = 10;
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 1);

    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "transport-test");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** Chunks of input, ready while any is left; the test plays the container's read events. */
    private static final class Input extends ServletInputStream {
        final ConcurrentLinkedQueue<byte[]> chunks = new ConcurrentLinkedQueue<>();
        volatile ReadListener listener;

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public boolean isReady() {
            return !chunks.isEmpty();
        }

        @Override
        public void setReadListener(ReadListener readListener) {
            listener = readListener;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("the transport reads into its buffer");
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            byte[] chunk = chunks.poll();
            if (chunk == null) {
                throw new IllegalStateException("read while not ready");
            }
            System.arraycopy(chunk, 0, buffer, offset, chunk.length);
            return chunk.length;
        }
    }

    /** Always ready; runs {@link #onWrite} within each write, as a container's stream may call back. */
    private static final class Output extends ServletOutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        volatile WriteListener listener;
        volatile Runnable onWrite = () -> { };

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
            listener = writeListener;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (written) {
                written.write(bytes, offset, length);
            }
            onWrite.run();
        }
    }

    private record Connection(Input in, Output out) implements WebConnection {
        @Override
        public ServletInputStream getInputStream() {
            return in;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return out;
        }

        @Override
        public void close() {
        }
    }

    /** Records the input as text, and runs {@code onData} within each call. */
    private static final class Handler implements TransportHandler {
        final BlockingQueue<String> data = new LinkedBlockingQueue<>();
        final BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        volatile Consumer<String> onData = text -> { };

        @Override
        public void onData(ByteBuffer bytes) {
            String text = StandardCharsets.UTF_8.decode(bytes).toString();
            threads.add(Thread.currentThread().getName());
            data.add(text);
            onData.accept(text);
        }

        @Override
        public void onEndOfInput() {
        }

        @Override
        public void onClosed(Throwable failure) {
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs {@code call} on another thread and waits for it: null if it returned in time, else why not. */
    private String onAnotherThread(Runnable call) {
        CompletableFuture<Void> done = CompletableFuture.runAsync(call, threads);
        try {
            done.get(CALL_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (TimeoutException e) {
            return "the call did not return within " + CALL_SECONDS + " s";
        } catch (Exception e) {
            return "the call failed: " + e;
        }
    }

    @Test
    void suspendingAndResumingFromAnotherThreadNeverWaitsForTheHandlersInputCall() throws Exception {
        Connection connection = new Connection(new Input(), new Output());
        ServletTransport transport = new ServletTransport(connection, threads, new UpgradedAddresses(ADDRESS, ADDRESS, false));
        Handler handler = new Handler();
        CompletableFuture<String> whileInOnData = new CompletableFuture<>();
        handler.onData = text -> {
            if (text.equals("first")) {
                // A callback thread that holds what this thread's next step needs, and resumes reading.
                whileInOnData.complete(onAnotherThread(() -> {
                    transport.suspendReading();
                    transport.resumeReading();
                }));
            }
        };
        transport.start(handler);
        connection.in().chunks.add(utf8("first"));
        connection.in().chunks.add(utf8("second"));

        connection.in().listener.onDataAvailable(); // the container's read event, on this thread

        assertNull(whileInOnData.get(CALL_SECONDS * 2, TimeUnit.SECONDS));
        assertEquals(List.of("first", "second"), List.copyOf(handler.data), "read on, in order, by the one reader");
    }

    @Test
    void aResumeWhileNoReaderRunsReadsOnTheExecutorWithoutWaiting() throws Exception {
        Connection connection = new Connection(new Input(), new Output());
        ServletTransport transport = new ServletTransport(connection, threads, new UpgradedAddresses(ADDRESS, ADDRESS, false));
        Handler handler = new Handler();
        handler.onData = text -> transport.suspendReading(); // a backlog past the limit, say
        transport.start(handler);
        connection.in().chunks.add(utf8("first"));
        connection.in().chunks.add(utf8("second"));

        connection.in().listener.onDataAvailable();
        assertEquals(List.of("first"), List.copyOf(handler.data), "suspended after the first read");
        assertEquals(Thread.currentThread().getName(), handler.threads.poll());
        handler.data.clear();

        handler.onData = text -> { };
        transport.resumeReading(); // from here: the caller is not made the reader
        assertEquals("second", handler.data.poll(CALL_SECONDS, TimeUnit.SECONDS));
        assertEquals("transport-test", handler.threads.poll());
    }

    @Test
    void theOutputStreamIsWrittenWithNoLockHeldThatOtherSendersNeed() throws Exception {
        Connection connection = new Connection(new Input(), new Output());
        ServletTransport transport = new ServletTransport(connection, threads, new UpgradedAddresses(ADDRESS, ADDRESS, false));
        transport.start(new Handler());
        CompletableFuture<String> whileWriting = new CompletableFuture<>();
        CompletableFuture<Throwable> secondFlush = new CompletableFuture<>();
        connection.out().onWrite = () -> {
            if (!whileWriting.isDone()) {
                // Inside the container's write: another sender queues a frame and asks what is queued.
                whileWriting.complete(onAnotherThread(() -> {
                    transport.queuedBytes();
                    transport.write(ByteBuffer.wrap(utf8("2")), ByteBuffer.wrap(utf8("nd")));
                    transport.flush(secondFlush::complete);
                }));
            }
        };
        CompletableFuture<Throwable> firstFlush = new CompletableFuture<>();
        transport.write(ByteBuffer.wrap(utf8("1")), ByteBuffer.wrap(utf8("st")));
        transport.flush(firstFlush::complete);

        connection.out().listener.onWritePossible(); // the container's first write event

        assertNull(whileWriting.get(CALL_SECONDS * 2, TimeUnit.SECONDS));
        assertNull(firstFlush.get(CALL_SECONDS, TimeUnit.SECONDS));
        assertNull(secondFlush.get(CALL_SECONDS, TimeUnit.SECONDS));
        synchronized (connection.out().written) {
            assertEquals("1st2nd", connection.out().written.toString(StandardCharsets.UTF_8));
        }
        assertEquals(0, transport.queuedBytes());
    }
}
