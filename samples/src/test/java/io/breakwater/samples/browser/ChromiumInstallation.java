package io.breakwater.samples.browser;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The headless Chromium (or Chrome) and the chromedriver that the browser test drives, found the way
 * {@code ./test} finds them, in the same order: the file that {@code CHROME_BIN} or {@code CHROMEDRIVER}
 * names when set (and then nothing else, so that a wrong value is an error, not a silent fallback),
 * otherwise the first of the usual command names on the {@code PATH} (Debian's {@code chromium} and
 * {@code chromedriver} first), and for the browser the macOS application bundles.
 *
 * <p>Nothing is ever downloaded: Selenium Manager would fetch a browser from the internet, which CI
 * machines cannot reach, so both paths are always given to Selenium.
 */
record ChromiumInstallation(Path browser, Path driver) {

    static final String BROWSER_VARIABLE = "CHROME_BIN";
    static final String DRIVER_VARIABLE = "CHROMEDRIVER";

    private static final List<String> BROWSER_COMMANDS =
            List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    private static final List<String> DRIVER_COMMANDS = List.of("chromedriver", "chromium.chromedriver");
    static final List<Path> MACOS_BUNDLES = List.of(
            Path.of("/Applications/Chromium.app/Contents/MacOS/Chromium"),
            Path.of("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"));

    /** This machine's installation, found through {@code environment} (CHROME_BIN, CHROMEDRIVER, PATH). */
    static ChromiumInstallation find(Map<String, String> environment) {
        return find(environment, MACOS_BUNDLES);
    }

    /**
     * The installation found through {@code environment} and, for the browser, {@code bundles}.
     *
     * @throws IllegalStateException when either is missing, saying what to install and how to name it
     */
    static ChromiumInstallation find(Map<String, String> environment, List<Path> bundles) {
        List<String> problems = new ArrayList<>();
        Optional<Path> browser = locate("Chromium or Chrome browser", BROWSER_VARIABLE, BROWSER_COMMANDS,
                bundles, environment, problems);
        Optional<Path> driver = locate("chromedriver", DRIVER_VARIABLE, DRIVER_COMMANDS, List.of(), environment,
                problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The browser tests (ChatBrowserTest, and the Spring Boot sample's"
                    + " ChatApplicationBrowserTest) need a headless Chromium and the chromedriver of the same version. "
                    + String.join(" ", problems)
                    + " Install them (Debian: `apt-get install chromium chromium-driver`, which ./test does by"
                    + " itself when run as root or with passwordless sudo), or name them:"
                    + " `" + BROWSER_VARIABLE + "=/path/to/chromium " + DRIVER_VARIABLE
                    + "=/path/to/chromedriver ./test`.");
        }
        return new ChromiumInstallation(browser.orElseThrow(), driver.orElseThrow());
    }

    private static Optional<Path> locate(String what, String variable, List<String> commands, List<Path> bundles,
            Map<String, String> environment, List<String> problems) {
        String named = environment.getOrDefault(variable, "");
        if (!named.isBlank()) {
            Path path = Path.of(named);
            if (isExecutableFile(path)) {
                return Optional.of(path);
            }
            problems.add(variable + "=" + named + " is not an executable file.");
            return Optional.empty();
        }
        Optional<Path> found = Stream.concat(onPath(commands, environment.getOrDefault("PATH", "")), bundles.stream())
                .filter(ChromiumInstallation::isExecutableFile)
                .findFirst();
        if (found.isEmpty()) {
            problems.add("No " + what + " was found: " + variable + " is not set, and none of "
                    + String.join(", ", commands) + " is on the PATH"
                    + (bundles.isEmpty() ? "." : ", nor any of " + bundles + "."));
        }
        return found;
    }

    /** Every command name in every PATH entry, command by command: the first name wins over later ones. */
    private static Stream<Path> onPath(List<String> commands, String path) {
        List<String> directories = Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).toList();
        return commands.stream().flatMap(command -> directories.stream().map(d -> Path.of(d, command)));
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
