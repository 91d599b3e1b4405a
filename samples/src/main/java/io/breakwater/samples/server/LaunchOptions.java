package io.breakwater.samples.server;

import java.util.Map;

/** The command line of {@link ChatServer}: {@code --port N}, else the {@code PORT} variable, else 8080. */
record LaunchOptions(int port) {

    static final int DEFAULT_PORT = 8080;

    /** @throws IllegalArgumentException with a one-line message for the user */
    static LaunchOptions parse(String[] args, Map<String, String> environment) {
        String port = environment.getOrDefault("PORT", String.valueOf(DEFAULT_PORT));
        for (int i = 0; i < args.length; i++) {
            if (!args[i].equals("--port")) {
                throw new IllegalArgumentException("Unknown option " + args[i] + "; the only one is --port N.");
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("--port needs a number after it.");
            }
            port = args[++i];
        }
        return new LaunchOptions(portNumber(port));
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
