package io.breakwater.conformance.run;

import io.breakwater.conformance.cases.ConformanceCase;
import io.breakwater.conformance.cases.Outcome;
import io.breakwater.conformance.wire.DeflateParameters;
import io.breakwater.conformance.wire.HandshakeKeys;
import io.breakwater.conformance.wire.HttpHead;
import io.breakwater.conformance.wire.MessageCompressor;
import io.breakwater.conformance.wire.Opcode;
import io.breakwater.conformance.wire.Utf8;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The fuzzing server: a client under test connects once per case, as with Autobahn's fuzzingserver.
 * <ul>
 * <li>{@code /getCaseCount}: a text message with the number of cases, then a close;</li>
 * <li>{@code /runCase?case=N} (1-based index) or {@code /runCase?casetuple=7.9.8}: runs that case; the
 *     client should echo every text and binary message it receives;</li>
 * <li>{@code /updateReports}: asks the owner to write the reports, then closes.</li>
 * </ul>
 */
public final class FuzzingServer implements Closeable {
    private final List<ConformanceCase> cases;
    private final Duration timeout;
    private final ServerSocket serverSocket;
    private final Thread acceptor;
    private final Map<String, CompletableFuture<CaseResult>> results = new ConcurrentHashMap<>();
    private final Consumer<CaseResult> progress;
    private final Runnable updateReports;

    public FuzzingServer(List<ConformanceCase> cases, InetAddress address, int port, Duration timeout,
                         Consumer<CaseResult> progress, Runnable updateReports) throws IOException {
        this.cases = List.copyOf(cases);
        this.timeout = timeout;
        this.progress = progress;
        this.updateReports = updateReports;
        this.serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(address, port));
        acceptor = new Thread(this::acceptLoop, "fuzzing-server-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** The result of a case once its connection is over. */
    public CaseResult awaitResult(String id, Duration wait) throws InterruptedException, TimeoutException {
        try {
            return future(id).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Every case's result so far, in catalogue order. */
    public List<CaseResult> results() {
        List<CaseResult> out = new ArrayList<>();
        for (ConformanceCase testCase : cases) {
            CompletableFuture<CaseResult> future = results.get(testCase.id());
            if (future != null && future.isDone()) {
                out.add(future.join());
            }
        }
        return out;
    }

    private CompletableFuture<CaseResult> future(String id) {
        return results.computeIfAbsent(id, key -> new CompletableFuture<>());
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                Thread handler = new Thread(() -> handle(socket), "fuzzing-server-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket socket) {
        long start = System.nanoTime();
        WireLog log = new WireLog();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) timeout.toMillis());
            InputStream in = new BufferedInputStream(socket.getInputStream());
            HttpHead request = HttpHead.read(in);
            byte[] raw = request.bytes();
            log.octets("RX OCTETS", raw, 0, raw.length);
            String[] start3 = request.startLine().split(" ");
            String target = start3.length > 1 ? start3[1] : "/";
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            Map<String, String> query = query(target);
            switch (path) {
                case "/getCaseCount" -> {
                    FuzzConnection connection = accept(socket, in, request, null, log, new Random(1));
                    connection.send(io.breakwater.conformance.wire.Frame.of(Opcode.TEXT,
                            Utf8.bytes(Integer.toString(cases.size()))));
                    closeQuietly(connection);
                }
                case "/updateReports" -> {
                    updateReports.run();
                    closeQuietly(accept(socket, in, request, null, log, new Random(1)));
                }
                case "/runCase" -> runCase(socket, in, request, query, log, start);
                default -> reject(socket, "404 Not Found");
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(socket);
        }
    }

    private void runCase(Socket socket, InputStream in, HttpHead request, Map<String, String> query, WireLog log,
                         long start) throws IOException, InterruptedException {
        ConformanceCase testCase = find(query);
        if (testCase == null) {
            reject(socket, "404 Not Found");
            return;
        }
        String handshakeProblem = checkRequest(request);
        CaseResult result;
        if (handshakeProblem != null) {
            reject(socket, "400 Bad Request");
            result = failed(testCase, handshakeProblem, request.raw(), log, start);
        } else {
            Random random = new Random(testCase.id().hashCode());
            DeflateParameters response = null;
            String unimplemented = null;
            if (testCase.deflate() != null) {
                response = choose(testCase, request);
                if (response == null) {
                    unimplemented = "the client's permessage-deflate offer permits none of " + testCase.deflate()
                            + " (RFC 7692 §7.1)";
                }
            }
            FuzzConnection connection = accept(socket, in, request, response, log, random);
            String handshake = request.raw() + responseHead(request, response);
            result = new CaseRunner(timeout).run(testCase, "client", connection, unimplemented, handshake, log, start);
        }
        progress.accept(result);
        future(testCase.id()).complete(result);
    }

    private ConformanceCase find(Map<String, String> query) {
        String tuple = query.get("casetuple");
        if (tuple != null) {
            return cases.stream().filter(c -> c.id().equals(tuple)).findFirst().orElse(null);
        }
        try {
            int index = Integer.parseInt(query.getOrDefault("case", "")) - 1;
            return index >= 0 && index < cases.size() ? cases.get(index) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** RFC 6455 §4.1 items 1-9 that a server can check; null when the request is a valid handshake. */
    private static String checkRequest(HttpHead request) {
        if (!request.startLine().startsWith("GET ") || !request.startLine().endsWith(" HTTP/1.1")) {
            return "request line " + request.startLine() + " is not GET ... HTTP/1.1 (RFC 6455 §4.1)";
        }
        if (request.field("Host") == null) {
            return "no Host header (RFC 6455 §4.1)";
        }
        if (!"websocket".equalsIgnoreCase(String.valueOf(request.field("Upgrade")))) {
            return "Upgrade is " + request.field("Upgrade") + " (RFC 6455 §4.1)";
        }
        if (!request.hasToken("Connection", "upgrade")) {
            return "Connection is " + request.field("Connection") + " (RFC 6455 §4.1)";
        }
        if (!"13".equals(request.field("Sec-WebSocket-Version"))) {
            return "Sec-WebSocket-Version is " + request.field("Sec-WebSocket-Version") + " (RFC 6455 §4.1)";
        }
        String key = request.field("Sec-WebSocket-Key");
        try {
            if (key == null || Base64.getDecoder().decode(key).length != 16) {
                return "Sec-WebSocket-Key is not 16 bytes in base64: " + key + " (RFC 6455 §4.1)";
            }
        } catch (IllegalArgumentException e) {
            return "Sec-WebSocket-Key is not base64: " + key + " (RFC 6455 §4.1)";
        }
        return null;
    }

    /**
     * The first of the case's parameter sets that the client's first valid permessage-deflate offer
     * permits (RFC 7692 §7.1), or null. A malformed offer is declined, as §7 requires of a server.
     */
    private static DeflateParameters choose(ConformanceCase testCase, HttpHead request) {
        for (String element : request.elements("Sec-WebSocket-Extensions")) {
            DeflateParameters offer;
            try {
                offer = DeflateParameters.parse(element, true);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (offer == null) {
                continue;
            }
            for (DeflateParameters candidate : testCase.deflate().parameterSets()) {
                if (offer.acceptedBy(candidate)) {
                    return candidate;
                }
            }
            return null;
        }
        return null;
    }

    private static String responseHead(HttpHead request, DeflateParameters extension) {
        StringBuilder out = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Accept: ").append(HandshakeKeys.accept(request.field("Sec-WebSocket-Key")))
                .append("\r\n");
        if (extension != null) {
            out.append("Sec-WebSocket-Extensions: ").append(extension.header()).append("\r\n");
        }
        return out.append("\r\n").toString();
    }

    private FuzzConnection accept(Socket socket, InputStream in, HttpHead request, DeflateParameters extension,
                                  WireLog log, Random random) throws IOException {
        byte[] response = responseHead(request, extension).getBytes(StandardCharsets.ISO_8859_1);
        log.octets("TX OCTETS", response, 0, response.length);
        socket.getOutputStream().write(response);
        socket.getOutputStream().flush();
        socket.setSoTimeout(0);
        MessageCompressor compressor = extension == null ? null
                : new MessageCompressor(extension.serverWindow(), extension.clientWindow(),
                        extension.serverNoContextTakeover(),
                        extension.clientNoContextTakeover());
        return new FuzzConnection(socket, in, true, random, log, compressor);
    }

    private void closeQuietly(FuzzConnection connection) throws InterruptedException {
        try {
            connection.sendClose(1000, new byte[0]);
        } catch (IOException ignored) {
            // The client went first.
        }
        connection.awaitTcpEnd(timeout);
        connection.stopReader();
    }

    private static void reject(Socket socket, String status) throws IOException {
        socket.getOutputStream().write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        socket.close();
    }

    private static Map<String, String> query(String target) {
        Map<String, String> out = new LinkedHashMap<>();
        int question = target.indexOf('?');
        if (question < 0) {
            return out;
        }
        for (String pair : target.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                out.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private CaseResult failed(ConformanceCase testCase, String problem, String handshake, WireLog log, long start) {
        log.add("FAIL", problem);
        return new CaseResult(testCase.id(), "client", testCase.description(), testCase.expectation(), Outcome.FAILED,
                Outcome.FAILED, testCase.expected().toString(), List.of(), Outcome.FAILED,
                testCase.closing().description(), Map.of(), List.of(problem), handshake, log.entries(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more to do with it.
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
    }
}
