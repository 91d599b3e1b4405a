package io.breakwater.benchmarks.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The servers compared, each built by its module under {@code benchmarks/servers/<name>}, whose
 * {@code package} leaves its classes and {@code target/classpath.txt} (its dependencies) there.
 */
enum Peer {
    BREAKWATER("io.breakwater.benchmarks.server.breakwater.BreakwaterEchoServer",
            "Breakwater, through servlet-integration in Jetty 12.1 (ee11)"),
    BREAKWATER_TOMCAT("io.breakwater.benchmarks.server.breakwatertomcat.BreakwaterTomcatEchoServer",
            "Breakwater, through servlet-integration in Tomcat 11 (Tomcat's own upgrade)"),
    JETTY("io.breakwater.benchmarks.server.jetty.JettyEchoServer", "Jetty 12.1, its own ee11 Jakarta provider"),
    TOMCAT("io.breakwater.benchmarks.server.tomcat.TomcatEchoServer", "Tomcat 11 embedded"),
    TYRUS("io.breakwater.benchmarks.server.tyrus.TyrusEchoServer", "Tyrus 2.2 standalone (Grizzly)"),
    UNDERTOW("io.breakwater.benchmarks.server.undertow.UndertowEchoServer", "Undertow 2.3"),
    NETTY("io.breakwater.benchmarks.server.netty.NettyEchoServer", "raw Netty 4.1 echo (no Jakarta layer)");

    private final String mainClass;
    private final String description;

    Peer(String mainClass, String description) {
        this.mainClass = mainClass;
        this.description = description;
    }

    /** The name used in results and on the command line: breakwater, breakwater-tomcat, jetty, ... */
    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether this is Breakwater, in one container or another. */
    boolean isBreakwater() {
        return this == BREAKWATER || this == BREAKWATER_TOMCAT;
    }

    String mainClass() {
        return mainClass;
    }

    String description() {
        return description;
    }

    static Peer byId(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The server's class path, from its module's build output under {@code repository}. */
    String classPath(Path repository) throws IOException {
        Path module = repository.resolve("benchmarks").resolve("servers").resolve(id());
        Path classes = module.resolve("target").resolve("classes");
        try {
            String dependencies = Files.readString(module.resolve("target").resolve("classpath.txt"),
                    StandardCharsets.UTF_8).trim();
            return classes + java.io.File.pathSeparator + dependencies;
        } catch (NoSuchFileException e) {
            throw new IOException(module + " is not built: run ./mvnw -pl benchmarks/servers/" + id()
                    + " -am package -DskipTests (benchmarks/run-server-benchmarks.sh does)", e);
        }
    }
}
