package io.breakwater.conformance.run;

import io.breakwater.conformance.cases.ConformanceCase;
import io.breakwater.conformance.cases.Outcome;
import io.breakwater.conformance.wire.DeflateParameters;
import io.breakwater.conformance.wire.HandshakeKeys;
import io.breakwater.conformance.wire.HttpHead;
import io.breakwater.conformance.wire.MessageCompressor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/** The fuzzing client: runs cases against a WebSocket server, one connection per case. */
public final class FuzzingClient {
    private final URI target;
    private final Duration timeout;

    /** @param target a {@code ws://} URL of an endpoint that echoes every text and binary message */
    public FuzzingClient(URI target, Duration timeout) {
        if (!"ws".equals(target.getScheme())) {
            throw new IllegalArgumentException("the fuzzing client speaks plain ws://, not " + target);
        }
        this.target = target;
        this.timeout = timeout;
    }

    public List<CaseResult> runAll(List<ConformanceCase> cases, Consumer<CaseResult> progress) {
        List<CaseResult> results = new ArrayList<>();
        for (ConformanceCase testCase : cases) {
            CaseResult result = run(testCase);
            progress.accept(result);
            results.add(result);
        }
        return results;
    }

    public CaseResult run(ConformanceCase testCase) {
        long start = System.nanoTime();
        WireLog log = new WireLog();
        Random random = new Random(testCase.id().hashCode());
        List<DeflateParameters> offers = testCase.deflate() == null ? List.of() : testCase.deflate().parameterSets();
        String request = request(HandshakeKeys.newKey(random), offers);
        Socket socket = new Socket();
        StringBuilder handshake = new StringBuilder(request);
        try {
            socket.setTcpNoDelay(true);
            int port = target.getPort() < 0 ? 80 : target.getPort();
            socket.connect(new InetSocketAddress(target.getHost(), port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            byte[] requestBytes = request.getBytes(StandardCharsets.ISO_8859_1);
            log.octets("TX OCTETS", requestBytes, 0, requestBytes.length);
            socket.getOutputStream().write(requestBytes);
            socket.getOutputStream().flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            HttpHead response = HttpHead.read(in);
            handshake.append(response.raw());
            log.add("RX HTTP", response.startLine());
            String key = request.lines().filter(l -> l.startsWith("Sec-WebSocket-Key: ")).findFirst().orElseThrow()
                    .substring("Sec-WebSocket-Key: ".length());
            String problem = checkResponse(response, key);
            if (problem != null) {
                socket.close();
                return handshakeFailed(testCase, problem, handshake.toString(), log, start);
            }
            MessageCompressor compressor = null;
            String unimplemented = null;
            List<String> extensions = response.elements("Sec-WebSocket-Extensions");
            if (!extensions.isEmpty()) {
                Agreement agreement;
                try {
                    agreement = agree(offers, extensions);
                } catch (IllegalArgumentException e) {
                    socket.close();
                    return handshakeFailed(testCase, e.getMessage(), handshake.toString(), log, start);
                }
                compressor = new MessageCompressor(
                        DeflateParameters.clientWindow(agreement.offer(), agreement.response()),
                        agreement.response().serverWindow(),
                        agreement.response().clientNoContextTakeover() || agreement.offer().clientNoContextTakeover(),
                        agreement.response().serverNoContextTakeover());
            } else if (!offers.isEmpty()) {
                unimplemented = "the server declined every permessage-deflate offer (RFC 7692 §5 allows it)";
            }
            socket.setSoTimeout(0);
            FuzzConnection connection = new FuzzConnection(socket, in, false, random, log, compressor);
            return new CaseRunner(timeout).run(testCase, "server", connection, unimplemented, handshake.toString(),
                    log, start);
        } catch (IOException e) {
            closeQuietly(socket);
            return handshakeFailed(testCase, "opening handshake failed: " + e, handshake.toString(), log, start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(socket);
            return handshakeFailed(testCase, "interrupted", handshake.toString(), log, start);
        }
    }

    /** RFC 6455 §4.1: what a browser sends; no Content-Length, no body. */
    private String request(String key, List<DeflateParameters> offers) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        if (target.getRawQuery() != null) {
            path += "?" + target.getRawQuery();
        }
        String host = target.getHost() + (target.getPort() < 0 ? "" : ":" + target.getPort());
        StringBuilder out = new StringBuilder()
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n")
                .append("User-Agent: breakwater-conformance\r\n");
        if (!offers.isEmpty()) {
            out.append("Sec-WebSocket-Extensions: ");
            for (int i = 0; i < offers.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(offers.get(i).header());
            }
            out.append("\r\n");
        }
        return out.append("\r\n").toString();
    }

    /** RFC 6455 §4.1, the client's checks of the server's response; null when it is acceptable. */
    private static String checkResponse(HttpHead response, String key) {
        if (!response.startLine().matches("HTTP/1\\.1 101( .*)?")) {
            return "the server answered " + response.startLine() + ", not 101 (RFC 6455 §4.1)";
        }
        if (!"websocket".equalsIgnoreCase(String.valueOf(response.field("Upgrade")))) {
            return "Upgrade is " + response.field("Upgrade") + ", not websocket (RFC 6455 §4.1)";
        }
        if (!response.hasToken("Connection", "upgrade")) {
            return "Connection is " + response.field("Connection") + ", without upgrade (RFC 6455 §4.1)";
        }
        String accept = HandshakeKeys.accept(key);
        if (!accept.equals(response.field("Sec-WebSocket-Accept"))) {
            return "Sec-WebSocket-Accept is " + response.field("Sec-WebSocket-Accept") + ", expected " + accept
                    + " (RFC 6455 §4.1)";
        }
        if (response.field("Sec-WebSocket-Protocol") != null) {
            return "a subprotocol the client did not ask for (RFC 6455 §4.1)";
        }
        return null;
    }

    private record Agreement(DeflateParameters offer, DeflateParameters response) {
    }

    /** RFC 7692 §5.1/§7.1: the response must accept one of our offers, with nothing we did not offer. */
    private static Agreement agree(List<DeflateParameters> offers, List<String> extensions) {
        if (extensions.size() > 1) {
            throw new IllegalArgumentException("more than one extension in the response: " + extensions);
        }
        DeflateParameters response = DeflateParameters.parse(extensions.get(0), false);
        if (response == null || offers.isEmpty()) {
            throw new IllegalArgumentException("the server answered with an extension the client did not offer: "
                    + extensions.get(0) + " (RFC 6455 §9.1)");
        }
        for (DeflateParameters offer : offers) {
            if (offer.acceptedBy(response)) {
                return new Agreement(offer, response);
            }
        }
        throw new IllegalArgumentException("the response " + extensions.get(0)
                + " accepts none of the offers (RFC 7692 §7.1)");
    }

    private CaseResult handshakeFailed(ConformanceCase testCase, String problem, String handshake, WireLog log,
                                       long start) {
        log.add("FAIL", problem);
        return new CaseResult(testCase.id(), "server", testCase.description(), testCase.expectation(), Outcome.FAILED,
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
}
