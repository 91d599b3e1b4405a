package io.breakwater.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.benchmarks.server.breakwater.BreakwaterEchoServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator's pieces against a real server for a moment: the benchmark's Breakwater echo server,
 * in this JVM. Counts, never timings, are asserted.
 */
class LoadAgainstBreakwaterTest {

    private static final byte[][] MESSAGES = {
        "{\"t\":\"first message\"}".getBytes(StandardCharsets.US_ASCII),
        "{\"t\":\"second message\"}".getBytes(StandardCharsets.US_ASCII),
    };

    private Server server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        server = BreakwaterEchoServer.start(0);
        address = new InetSocketAddress("127.0.0.1", ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void probeSeesDeflateNegotiatedAndTheEchoInflatesToTheMessage() throws Exception {
        EchoProbe.Result result = EchoProbe.run(address, "/echo", ClientMessages.deflatedText(MESSAGES));
        assertTrue(result.deflateNegotiated(), result.extensions());
        assertTrue(result.echoCompressed());
    }

    @Test
    void closedLoopKeepsMessagesComingBackOnEveryConnection() throws Exception {
        try (Connections connections = Connections.open(address, "/echo", 3, ClientMessages.DEFLATE_OFFER,
                "permessage-deflate")) {
            assertEquals(3, connections.size());
            LoadGenerator load = LoadGenerator.closedLoop(connections, ClientMessages.deflatedText(MESSAGES), 4);
            try {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (load.echoed() < 100 && load.failure() == null && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            } finally {
                load.close();
            }
            assertNull(load.failure());
            assertTrue(load.echoed() >= 100, "echoed " + load.echoed());
            assertTrue(load.compressedEchoSeen());
        }
    }

    @Test
    void openLoopRecordsARoundTripForMessagesDueInTheWindow() throws Exception {
        LatencyRecorder recorder = new LatencyRecorder();
        try (Connections connections = Connections.open(address, "/echo", 2, null, null)) {
            LoadGenerator load = LoadGenerator.openLoop(connections, ClientMessages.text(MESSAGES), 1000, recorder);
            try {
                long start = System.nanoTime();
                recorder.window(start, start + 200_000_000L);
                Thread.sleep(500);
            } finally {
                load.close();
            }
            assertNull(load.failure());
        }
        assertTrue(recorder.sortedNanos().length > 0);
    }
}
