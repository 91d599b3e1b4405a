package io.breakwater.benchmarks.soak;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the soak from the command line (see "Security" in the README):
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.breakwater.benchmarks.soak.SoakMain serve [--port 8080]
 *   java -cp benchmarks/target/benchmarks.jar io.breakwater.benchmarks.soak.SoakMain [--url ws://127.0.0.1:8080/echo]
 *        [--connections 10000] [--seconds 30] [--window 4] [--payload 32] [--sources 4]
 *        [--settle-seconds 150] [--heap-tolerance-mib 16] [--thread-tolerance 2]
 * </pre>
 * Without {@code --url} the server runs in the same process (it then needs a descriptor per connection on
 * both sides). The exit status is 0 when the soak passed.
 */
public final class SoakMain {

    private SoakMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            Map<String, String> options = options(args, 1);
            EchoServer server = EchoServer.start(options.getOrDefault("host", "127.0.0.1"),
                    Integer.parseInt(options.getOrDefault("port", "8080")));
            System.out.println("Breakwater echo server in embedded Jetty: " + server.echoUri()
                    + " (stats at /stats); Ctrl-C to stop");
            Thread.currentThread().join();
            return;
        }
        Map<String, String> options = options(args, 0);
        Soak.Settings settings = new Soak.Settings(
                options.containsKey("url") ? URI.create(options.get("url")) : null,
                Integer.parseInt(options.getOrDefault("connections", "10000")),
                sources(options.getOrDefault("sources", "4")),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "30"))),
                Integer.parseInt(options.getOrDefault("window", "4")),
                Integer.parseInt(options.getOrDefault("payload", "32")),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("settle-seconds", "150"))),
                Long.parseLong(options.getOrDefault("heap-tolerance-mib", "16")) << 20,
                Integer.parseInt(options.getOrDefault("thread-tolerance", "2")));
        System.out.printf("soak: %d connections from %s, echoing for %s, to %s%n", settings.connections(),
                settings.sources(), settings.echoTime(), settings.echo() == null ? "a server in this process"
                        : settings.echo());
        Soak.Report report = Soak.run(settings);
        System.out.print(report.describe());
        System.exit(report.passed() ? 0 : 1);
    }

    /** A count of loopback addresses from 127.0.0.2, or addresses separated by commas. */
    private static List<InetAddress> sources(String value) throws Exception {
        if (value.matches("\\d+")) {
            return Soak.loopbackSources(Integer.parseInt(value));
        }
        List<InetAddress> sources = new ArrayList<>();
        for (String address : value.split(",")) {
            sources.add(InetAddress.getByName(address.trim()));
        }
        return sources;
    }

    private static Map<String, String> options(String[] args, int from) {
        Map<String, String> options = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
