package io.breakwater.samples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link ChatServer#main} as a user meets it: in a JVM of its own, reading what it prints. */
class ChatServerMainTest {

    private static final Pattern URL_LINE =
            Pattern.compile("Breakwater chat is running: open (http://localhost:(\\d+)/) \\(Ctrl-C stops it\\)");

    @Test
    void printsTheUrlToOpenAndServesThePageThere() throws Exception {
        Process chat = launch(Map.of("PORT", "not used when --port is given"), "--port", "0");
        try (BufferedReader output = chat.inputReader(StandardCharsets.UTF_8)) {
            CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> readLine(output));
            String line = firstLine.get(60, TimeUnit.SECONDS);
            Matcher url = URL_LINE.matcher(line == null ? "" : line);
            assertTrue(url.matches(), "first line: " + line + "\nerrors: " + errors(chat));
            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url.group(1))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<title>Breakwater chat</title>"));
        } finally {
            chat.destroy();
            chat.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPortInUseIsOneLineAndExitCodeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            Process chat = launch(Map.of("PORT", String.valueOf(port)));
            assertTrue(chat.waitFor(60, TimeUnit.SECONDS), "it should give up, not wait");
            assertEquals(1, chat.exitValue());
            assertEquals(List.of("Port " + port + " is already in use; choose another with --port N or PORT=N."),
                    errors(chat));
            assertEquals("", new String(chat.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aPortThatIsNotANumberIsOneLineAndExitCodeTwo() throws Exception {
        Process chat = launch(Map.of(), "--port", "eighty");
        assertTrue(chat.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, chat.exitValue());
        assertEquals(List.of("Not a port number: \"eighty\" (0 to 65535; 0 picks a free one)."), errors(chat));
    }

    @Test
    void aHostThatIsNotThisMachinesIsOneLineAndExitCodeOne() throws Exception {
        // TEST-NET-3 (RFC 5737); ChatServerHostTest checks that no interface here has it.
        Process chat = launch(Map.of("HOST", "203.0.113.77"), "--port", "0");
        assertTrue(chat.waitFor(60, TimeUnit.SECONDS), "it should give up, not wait");
        assertEquals(1, chat.exitValue());
        assertEquals(List.of("Cannot listen on 203.0.113.77: it is not an address of this machine;"
                + " choose another with --host H or HOST=H, or neither for every interface."), errors(chat));
    }

    private static Process launch(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChatServer.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("PORT");
        builder.environment().remove("HOST"); // some shells (tcsh) export one
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static List<String> errors(Process process) throws IOException {
        if (process.isAlive()) {
            return List.of("(still running)");
        }
        return new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))
                .lines().toList();
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
