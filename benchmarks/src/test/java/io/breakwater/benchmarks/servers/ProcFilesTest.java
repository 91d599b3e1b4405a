package io.breakwater.benchmarks.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcFilesTest {

    @Test
    void processTicksAreUtimePlusStimeEvenWithParenthesesInTheName() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 30 0 99";
        assertEquals(1234 + 567, CpuTime.processTicks(stat));
    }

    @Test
    void machineBusyTicksLeaveOutIdleWaitAndInterrupts() {
        assertEquals(100 + 2 + 30 + 5, CpuTime.machineBusyTicks("cpu  100 2 30 4000 50 6 7 5 0 0"));
    }

    @Test
    void listeningInodesOfAPortFromATcpTable() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1",
                "   1: 0100007F:1F90 0200007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 222 1",
                "   2: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1");
        assertEquals(Set.of("111"), ListenerOwnership.listeningInodes(table, 8080));
        assertEquals(Set.of("333"), ListenerOwnership.listeningInodes(table, 80));
    }

    @Test
    void thisProcessOwnsTheListenerItOpenedAndNoOther() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux /proc");
        long pid = ProcessHandle.current().pid();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(ListenerOwnership.owns(pid, listener.getLocalPort()));
        }
        int closedPort;
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = listener.getLocalPort();
        }
        assertFalse(ListenerOwnership.owns(pid, closedPort));
        assertTrue(CpuTime.fromSystem().processTicks(pid) >= 0);
        assertTrue(CpuTime.contextSwitches(pid) > 0);
    }
}
