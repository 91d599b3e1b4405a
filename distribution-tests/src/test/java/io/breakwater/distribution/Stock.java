package io.breakwater.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Where the build put what the tests deploy (the pom sets these properties): the unpacked distributions, the
 * chat WAR, Breakwater's Jetty module, and a work directory; and the file chores of the README's steps.
 */
final class Stock {

    private Stock() {
    }

    /** {@code $JETTY_HOME}: jetty-home as downloaded, never written to (Jetty's own rule for a home). */
    static Path jettyHome() {
        return existing("stock.jetty.home");
    }

    /** Tomcat's distribution as downloaded; each test works on a copy. */
    static Path tomcatDistribution() {
        return existing("stock.tomcat.home");
    }

    /** {@code samples/target/breakwater-chat.war}. */
    static Path war() {
        return existing("breakwater.war");
    }

    /** {@code servlet-integration/target/breakwater-jetty-module.zip}. */
    static Path jettyModule() {
        return existing("breakwater.jetty.module");
    }

    /** A new, empty directory {@code name} under target/stock. */
    static Path freshDirectory(String name) throws IOException {
        Path directory = Path.of(System.getProperty("stock.work", "target/stock")).resolve(name).toAbsolutePath();
        delete(directory);
        return Files.createDirectories(directory);
    }

    /** The java command of this JVM, for the servers' processes. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code System.getProperty("java.home")}, as {@code JAVA_HOME} for Tomcat's scripts. */
    static String javaHome() {
        return System.getProperty("java.home");
    }

    /** A port nobody listens on now (the server binds it a moment later). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code unzip zip -d directory}. */
    static void unzip(Path zip, Path directory) throws IOException {
        try (InputStream file = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(file)) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                Path target = directory.resolve(entry.getName()).normalize();
                if (!target.startsWith(directory)) {
                    throw new IOException("a zip entry outside the directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(entries, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** {@code cp -r from to}, keeping the scripts' execute permission. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        assertTrue(value != null, property + " is not set: run the tests through Maven (./mvnw verify)");
        Path path = Path.of(value.trim()).toAbsolutePath().normalize();
        assertTrue(Files.exists(path), path + " (" + property + ") is missing: ./mvnw verify builds the WAR and"
                + " the Jetty module in the package phase of samples and servlet-integration, and fetches the"
                + " distributions in this module's pre-integration-test phase");
        return path;
    }
}
