package io.breakwater.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's steps for a stock Tomcat 11 ("Stock Tomcat 11"), run as written: the official distribution as it
 * is, its lib/ untouched, its own applications (examples, docs, manager) deployed, the WAR dropped into
 * {@code webapps/}, and {@code bin/catalina.sh run}. Only the port differs: conf/server.xml gets a free one, and
 * the shutdown port is off. Beside it, the same WAR without its {@code META-INF/context.xml}: what a user gets
 * who builds a WAR of their own and forgets it.
 */
class StockTomcatIT extends ChatOnAStockContainer {

    /** The context.xml in the WAR that switches Tomcat's own WebSocket off for this application only. */
    private static final String CONTEXT_XML = "META-INF/context.xml";

    private static Path tomcat;
    private static ServerProcess server;
    private static URI root;

    @BeforeAll
    static void installAndStart() throws Exception {
        tomcat = Stock.freshDirectory("tomcat");
        Stock.copyTree(Stock.tomcatDistribution(), tomcat);
        int port = Stock.freePort();
        Path serverXml = tomcat.resolve("conf/server.xml");
        String config = Files.readString(serverXml);
        String connector = "<Connector port=\"8080\" protocol=\"HTTP/1.1\"";
        assertTrue(config.contains(connector) && config.contains("<Server port=\"8005\""), config);
        Files.writeString(serverXml, config
                .replace(connector, "<Connector port=\"" + port + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"")
                .replace("<Server port=\"8005\"", "<Server port=\"-1\""));

        try (ZipFile war = new ZipFile(Stock.war().toFile())) {
            assertTrue(war.getEntry(CONTEXT_XML) != null, "the WAR carries " + CONTEXT_XML);
        }
        Files.copy(Stock.war(), tomcat.resolve("webapps/breakwater-chat.war"));
        copyWithout(Stock.war(), CONTEXT_XML, tomcat.resolve("webapps/chat-without-filter.war"));

        root = URI.create("http://127.0.0.1:" + port + "/");
        server = ServerProcess.start("tomcat", tomcat, List.of(tomcat.resolve("bin/catalina.sh").toString(), "run"),
                Map.of("JAVA_HOME", Stock.javaHome(), "CATALINA_HOME", tomcat.toString(),
                        "CATALINA_BASE", tomcat.toString()),
                root.resolve("breakwater-chat/"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    URI application() {
        return root.resolve("breakwater-chat/");
    }

    @Test
    void breakwaterAnswersTheApplicationsHandshakes() throws Exception {
        // A version Breakwater does not speak: its refusal has a body of its own (ServerHandshake.Rejected).
        URI url = ChatMember.roomUrl(application(), newRoom(), "old");
        String response = BrowserLikeSocket.exchange(url,
                BrowserLikeSocket.handshakeHead(url, BrowserLikeSocket.newKey(), "12"));
        assertTrue(response.startsWith("HTTP/1.1 426"), response);
        assertTrue(response.contains("426 Upgrade Required: this server speaks WebSocket version 13"), response);
    }

    @Test
    void tomcatsOwnWebSocketStillServesItsOtherApplications() throws Exception {
        URI echo = URI.create("ws://" + root.getAuthority() + "/examples/websocket/echoAnnotation");
        try (BrowserLikeSocket socket = BrowserLikeSocket.open(echo, "echoed by Tomcat's own implementation")) {
            assertEquals("echoed by Tomcat's own implementation", socket.receive());
            assertEquals(1000, socket.closeNormally());
        }
    }

    @Test
    void aWarWithoutTheFilterDoesNotStartAndTheLogNamesTheFix() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(root.resolve("chat-without-filter/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, page.statusCode());
        String logs = awaitInLogs("another Jakarta WebSocket implementation is active");
        assertTrue(logs.contains("'/chat-without-filter'"), logs);
        assertTrue(logs.contains("containerSciFilter=\"org\\.apache\\.tomcat\\.websocket\\.server\\.WsSci\""), logs);
        assertFalse(logs.contains("ClassCastException"), logs);
    }

    /** Tomcat's log files (written asynchronously) and its console, once they hold {@code text}. */
    private static String awaitInLogs(String text) throws IOException, InterruptedException {
        String logs = "";
        for (int attempt = 0; attempt < 100 && !logs.contains(text); attempt++) {
            Thread.sleep(attempt == 0 ? 0 : 100);
            logs = logs();
        }
        return logs;
    }

    private static String logs() throws IOException {
        StringBuilder all = new StringBuilder(server.output());
        try (Stream<Path> files = Files.list(tomcat.resolve("logs"))) {
            for (Path file : files.sorted().toList()) {
                all.append("\n==> ").append(file.getFileName()).append('\n')
                        .append(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }

    /** Copies the archive {@code from} to {@code to} without its entry {@code left}. */
    private static void copyWithout(Path from, String left, Path to) throws IOException {
        try (InputStream in = Files.newInputStream(from); ZipInputStream source = new ZipInputStream(in);
             OutputStream out = Files.newOutputStream(to); ZipOutputStream target = new ZipOutputStream(out)) {
            for (ZipEntry entry = source.getNextEntry(); entry != null; entry = source.getNextEntry()) {
                if (!entry.getName().equals(left)) {
                    target.putNextEntry(new ZipEntry(entry.getName()));
                    source.transferTo(target);
                    target.closeEntry();
                }
            }
        }
    }
}
