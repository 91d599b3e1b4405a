package io.breakwater.conformance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Command-line options shared by both mains: {@code --cases}, {@code --out}, {@code --timeout-ms}. */
final class Options {
    String cases = "*";
    Path out = Path.of("target", "conformance");
    Duration timeout = Duration.ofSeconds(5);
    int port = 9001;
    final List<String> positional = new ArrayList<>();

    static Options parse(String[] args) {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cases" -> options.cases = args[++i];
                case "--out" -> options.out = Path.of(args[++i]);
                case "--timeout-ms" -> options.timeout = Duration.ofMillis(Long.parseLong(args[++i]));
                case "--port" -> options.port = Integer.parseInt(args[++i]);
                default -> options.positional.add(args[i]);
            }
        }
        return options;
    }
}
