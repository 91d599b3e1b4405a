package io.breakwater.samples.server;

import java.util.Map;
import java.util.Optional;

/**
 * The command line of {@link ChatServer}: {@code --host H}, else the {@code HOST} variable, else every
 * interface; {@code --port N}, else the {@code PORT} variable, else 8080.
 *
 * @param host the host name or address to listen on; empty for every interface
 * @param port the port to listen on; 0 picks a free one
 */
record LaunchOptions(Optional<String> host, int port) {

    static final int DEFAULT_PORT = 8080;

    /** @throws IllegalArgumentException with a one-line message for the user */
    static LaunchOptions parse(String[] args, Map<String, String> environment) {
        // An empty HOST, as `HOST= ./mvnw ...` leaves it, is no host: every interface.
        String host = environment.getOrDefault("HOST", "").strip();
        String port = environment.getOrDefault("PORT", String.valueOf(DEFAULT_PORT));
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.equals("--port") && !option.equals("--host")) {
                throw new IllegalArgumentException(
                        "Unknown option " + option + "; the options are --host H and --port N.");
            }
            if (i + 1 == args.length || args[i + 1].isBlank()) {
                throw new IllegalArgumentException(option.equals("--port")
                        ? "--port needs a number after it."
                        : "--host needs a host name or address after it (127.0.0.1: this machine only).");
            }
            String value = args[++i];
            if (option.equals("--port")) {
                port = value;
            } else {
                host = value.strip();
            }
        }
        return new LaunchOptions(host.isEmpty() ? Optional.empty() : Optional.of(host), portNumber(port));
    }

    private static int portNumber(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Not a port number: \"" + value + "\" (0 to 65535; 0 picks a free one).");
    }
}
