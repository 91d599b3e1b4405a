package io.breakwater.benchmarks.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a process really holds the listening socket on a port: other programs on this machine may
 * hold loopback ports too, and a server that printed a port it does not own would have the load sent to
 * someone else. Linux only: the listening sockets of the port come from {@code /proc/<pid>/net/tcp} and
 * {@code tcp6} (which list the whole network namespace), and the process owns one when a descriptor in
 * {@code /proc/<pid>/fd} links to that socket's inode.
 */
final class ListenerOwnership {

    /** TCP_LISTEN in the kernel's numbering, as {@code /proc/net/tcp} shows it. */
    private static final String LISTEN = "0A";

    private ListenerOwnership() {
    }

    static boolean owns(long pid, int port) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        Set<String> inodes = new HashSet<>();
        for (String table : new String[] {"tcp", "tcp6"}) {
            Path path = proc.resolve("net").resolve(table);
            if (Files.exists(path)) {
                inodes.addAll(listeningInodes(Files.readAllLines(path, StandardCharsets.US_ASCII), port));
            }
        }
        if (inodes.isEmpty()) {
            return false;
        }
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path descriptor : descriptors) {
                String target;
                try {
                    target = Files.readSymbolicLink(descriptor).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The inodes of the listening sockets on {@code port} in a {@code /proc/net/tcp}-style table: lines
     * of "sl local_address rem_address st ... uid timeout inode", addresses as hex "IP:PORT".
     */
    static Set<String> listeningInodes(List<String> table, int port) {
        Set<String> inodes = new HashSet<>();
        for (String line : table.subList(Math.min(1, table.size()), table.size())) {
            String[] fields = line.trim().split(" +");
            if (fields.length < 10 || !fields[3].equals(LISTEN)) {
                continue;
            }
            String local = fields[1];
            int localPort = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
            if (localPort == port) {
                inodes.add(fields[9]);
            }
        }
        return inodes;
    }
}
