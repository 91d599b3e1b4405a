package io.breakwater.benchmarks.server.echo;

/**
 * The one line a benchmark server prints on standard output once it accepts connections; the harness
 * ({@code io.breakwater.benchmarks.servers.ServerProcess}) waits for it to learn the port, since every
 * server binds port 0.
 */
public final class Listening {

    /** Followed by a space and the port. */
    public static final String PREFIX = "BENCHMARK SERVER LISTENING ON PORT";
    /** Every server listens on loopback only; the load generator connects from 127.0.0.2 to 127.0.0.5. */
    public static final String HOST = "127.0.0.1";

    private Listening() {
    }

    public static void announce(int port) {
        System.out.println(PREFIX + " " + port);
        System.out.flush();
    }

    /** The port a server is asked for: the first argument, or 0 for any free one. */
    public static int requestedPort(String[] args) {
        return args.length > 0 ? Integer.parseInt(args[0]) : 0;
    }
}
