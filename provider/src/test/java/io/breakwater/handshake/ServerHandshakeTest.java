package io.breakwater.handshake;

import static io.breakwater.handshake.HeadParsing.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerHandshakeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /** The client handshake of RFC 6455 §1.2. */
    private static HttpHeaders validHeaders() {
        return HttpHeaders.of(
                "Host", "server.example.com",
                "Upgrade", "websocket",
                "Connection", "Upgrade",
                "Sec-WebSocket-Key", KEY,
                "Origin", "http://example.com",
                "Sec-WebSocket-Protocol", "chat, superchat",
                "Sec-WebSocket-Version", "13");
    }

    private static ServerHandshake.Outcome validate(HttpHeaders headers) {
        return ServerHandshake.validate("GET", "HTTP/1.1", "/chat", headers);
    }

    private static ServerHandshake.Outcome validateWith(Consumer<HttpHeaders> change) {
        HttpHeaders headers = validHeaders();
        change.accept(headers);
        return validate(headers);
    }

    private static ServerHandshake.Accepted accepted(ServerHandshake.Outcome outcome) {
        if (outcome instanceof ServerHandshake.Rejected rejected) {
            throw new AssertionError("rejected: " + rejected.status() + " " + rejected.reason());
        }
        return (ServerHandshake.Accepted) outcome;
    }

    private static ServerHandshake.Rejected rejected(ServerHandshake.Outcome outcome, int status) {
        ServerHandshake.Rejected rejected = assertInstanceOf(ServerHandshake.Rejected.class, outcome);
        assertEquals(status, rejected.status(), rejected.reason());
        return rejected;
    }

    @Test
    void computesTheAcceptKeyOfRfc6455Section1_3() {
        assertEquals(ACCEPT, ServerHandshake.acceptKey(KEY));
    }

    @Test
    void acceptsTheRequestOfRfc6455Section1_2() {
        ServerHandshake.Accepted accepted = accepted(validate(validHeaders()));
        assertEquals("/chat", accepted.target());
        assertEquals(KEY, accepted.key());
        assertEquals(ACCEPT, accepted.accept());
        assertEquals(List.of("chat", "superchat"), accepted.subprotocols());
        assertEquals(List.of(), accepted.extensions());
        assertEquals("http://example.com", accepted.origin());
        assertEquals(validHeaders(), accepted.headers());
    }

    @Test
    void acceptsARequestReadByTheParser() throws HandshakeException {
        String request = "GET /chat?x=1 HTTP/1.1\r\n" + validHeaders() + "\r\n";
        HttpRequestHead head = HttpRequestHead.parser().parse(ByteBuffer.wrap(bytes(request))).orElseThrow();
        assertEquals("/chat?x=1", accepted(ServerHandshake.validate(head)).target());
    }

    @Test
    void headerNamesAndTokensAreCaseInsensitive() {
        HttpHeaders headers = HttpHeaders.of(
                "HOST", "server.example.com",
                "upgrade", "WebSocket",
                "CONNECTION", "UPGRADE",
                "sec-websocket-key", KEY,
                "SEC-WEBSOCKET-VERSION", "13");
        ServerHandshake.Accepted accepted = accepted(validate(headers));
        assertNull(accepted.origin());
        assertEquals(List.of(), accepted.subprotocols());
    }

    @Test
    void findsTokensInListsAndOnRepeatedLines() {
        accepted(validateWith(h -> h.set("Connection", "keep-alive, Upgrade")));
        accepted(validateWith(h -> h.set("Connection", "keep-alive").add("Connection", "upgrade")));
        accepted(validateWith(h -> h.set("Upgrade", "h2c, websocket")));
        accepted(validateWith(h -> h.set("Connection", " Upgrade ,")));
    }

    @Test
    void readsSubprotocolsFromEveryLineInOrder() {
        ServerHandshake.Accepted accepted = accepted(validateWith(h -> h.add("Sec-WebSocket-Protocol", "v2.chat")));
        assertEquals(List.of("chat", "superchat", "v2.chat"), accepted.subprotocols());
    }

    @Test
    void readsExtensionOffersFromEveryLine() {
        ServerHandshake.Accepted accepted = accepted(validateWith(h -> h
                .add("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits, x-foo")
                .add("Sec-WebSocket-Extensions", "permessage-deflate; server_no_context_takeover")
                .add("Sec-WebSocket-Extensions", "")));
        assertEquals(List.of("permessage-deflate", "x-foo", "permessage-deflate"),
                accepted.extensions().stream().map(ExtensionSpec::name).toList());
        assertTrue(accepted.extensions().get(0).parameter("client_max_window_bits").isPresent());
    }

    @Test
    void acceptsNewerHttpAndAbsoluteFormTargets() {
        accepted(ServerHandshake.validate("GET", "HTTP/1.2", "/", validHeaders()));
        accepted(ServerHandshake.validate("GET", "HTTP/1.1", "ws://server.example.com/chat", validHeaders()));
        accepted(ServerHandshake.validate("GET", "HTTP/1.1", "/?", validHeaders()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "HEAD", "get", "CONNECT", "OPTIONS"})
    void rejectsMethodsOtherThanGetWith400(String method) {
        rejected(ServerHandshake.validate(method, "HTTP/1.1", "/chat", validHeaders()), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.0", "HTTP/0.9", "HTTP/1", "http/1.1", ""})
    void rejectsHttpBelow1_1OrMalformedWith400(String version) {
        rejected(ServerHandshake.validate("GET", version, "/chat", validHeaders()), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "server.example.com:80", "chat", ":x", ""})
    void rejectsTargetsThatAreNotOriginOrAbsoluteFormWith400(String target) {
        rejected(ServerHandshake.validate("GET", "HTTP/1.1", target, validHeaders()), 400);
    }

    @Test
    void rejectsAMissingOrRepeatedHostWith400() {
        rejected(validateWith(h -> h.remove("Host")), 400);
        rejected(validateWith(h -> h.add("host", "other.example.com")), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":80", "a b", "a:8x", "[::1", "[]", "[::1]x", "a/b", "a@b", "a,b"})
    void rejectsAMalformedHostWith400(String host) {
        rejected(validateWith(h -> h.set("Host", host)), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com:8080", "127.0.0.1:1", "[::1]", "[::1]:9000", "xn--bcher-kva.de",
        "a_b.local", "example.com:", "[v1.x]"})
    void acceptsValidHosts(String host) {
        accepted(validateWith(h -> h.set("Host", host)));
    }

    @Test
    void rejectsAMissingOrWrongUpgradeWith400() {
        rejected(validateWith(h -> h.remove("Upgrade")), 400);
        rejected(validateWith(h -> h.set("Upgrade", "h2c")), 400);
        rejected(validateWith(h -> h.set("Upgrade", "websocket2")), 400);
        rejected(validateWith(h -> h.set("Upgrade", "")), 400);
    }

    @Test
    void rejectsAConnectionWithoutUpgradeWith400() {
        rejected(validateWith(h -> h.remove("Connection")), 400);
        rejected(validateWith(h -> h.set("Connection", "keep-alive")), 400);
        rejected(validateWith(h -> h.set("Connection", "keep-alive upgrade")), 400);
        rejected(validateWith(h -> h.set("Connection", "upgraded")), 400);
    }

    @Test
    void rejectsAMissingOrRepeatedKeyWith400() {
        rejected(validateWith(h -> h.remove("Sec-WebSocket-Key")), 400);
        rejected(validateWith(h -> h.add("Sec-WebSocket-Key", KEY)), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "dGhlIHNhbXBsZSBub25jZQ",       // padding missing
        "dGhlIHNhbXBsZSBub25jZQ=",      // padding short
        "dGhlIHNhbXBsZSBub25jZQ==x",
        "dGhlIHNhbXBsZSBub25jZQ==dGhlIHNhbXBsZSBub25jZQ==",
        "dGhlIHNhbXBsZSBub25jZW0=",     // 17 bytes
        "dGhlIHNhbXBsZSBub25j",         // 15 bytes
        "dGhlIHNhbXBsZSBub25jZ!==",     // not base64
        "dGhlIHNhbXBsZSBub25j ZQ=",
        "dGhlIHNhbXBsZSBub25jZQ-_",     // URL-safe alphabet
    })
    void rejectsAKeyThatIsNotBase64Of16BytesWith400(String key) {
        ServerHandshake.Rejected rejected = rejected(validateWith(h -> h.set("Sec-WebSocket-Key", key)), 400);
        assertTrue(rejected.reason().contains("16 bytes"), rejected.reason());
    }

    @Test
    void acceptsAny16ByteKey() {
        assertTrue(ServerHandshake.isValidKey("AAAAAAAAAAAAAAAAAAAAAA=="));
        assertTrue(ServerHandshake.isValidKey("/////////////////////w=="));
        assertFalse(ServerHandshake.isValidKey("AAAAAAAAAAAAAAAAAAAAAAAA"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8", "12", "14", "13, 8", "13.0", ""})
    void rejectsOtherWebSocketVersionsWith426(String version) {
        ServerHandshake.Rejected rejected = rejected(validateWith(h -> h.set("Sec-WebSocket-Version", version)), 426);
        assertEquals(HttpHeaders.of("Sec-WebSocket-Version", "13"), rejected.headers());
    }

    @Test
    void rejectsAMissingWebSocketVersionWith426() {
        ServerHandshake.Rejected rejected = rejected(validateWith(h -> h.remove("Sec-WebSocket-Version")), 426);
        assertEquals("13", rejected.headers().first("Sec-WebSocket-Version"));
        rejected(validateWith(h -> h.add("Sec-WebSocket-Version", "8")), 426);
    }

    @Test
    void checksWebSocketVersionAfterTheWebSocketRequestItself() {
        // A plain HTTP request with a wrong version is not a WebSocket request: 400, not 426.
        rejected(validateWith(h -> {
            h.remove("Upgrade");
            h.set("Sec-WebSocket-Version", "8");
        }), 400);
        rejected(validateWith(h -> {
            h.remove("Sec-WebSocket-Key");
            h.remove("Sec-WebSocket-Version");
        }), 400);
        rejected(ServerHandshake.validate("POST", "HTTP/1.1", "/", validHeaders().set("Sec-WebSocket-Version", "8")),
                400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chat, \"quoted\"", "a b", "chat;v=1", "chat/1", "caf\u00E9"})
    void rejectsSubprotocolsThatAreNotTokensWith400(String protocols) {
        rejected(validateWith(h -> h.set("Sec-WebSocket-Protocol", protocols)), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"permessage-deflate;", "; x", "a; b=\"c d\"", "a b", "a; =1", "a; b=\"unterminated"})
    void rejectsMalformedExtensionsWith400(String extensions) {
        ServerHandshake.Rejected rejected =
                rejected(validateWith(h -> h.add("Sec-WebSocket-Extensions", extensions)), 400);
        assertTrue(rejected.reason().startsWith("malformed Sec-WebSocket-Extensions"), rejected.reason());
    }

    @Test
    void writesThe101OfRfc6455Section1_3() {
        ServerHandshake.Accepted accepted = accepted(validate(validHeaders()));
        HttpResponseHead response = ServerHandshake.acceptResponse(accepted, "chat", List.of(), new HttpHeaders());
        assertArrayEquals(bytes("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                + "Sec-WebSocket-Protocol: chat\r\n"
                + "\r\n"), response.encode());
    }

    @Test
    void writesExtensionsAndExtraHeadersAndNoProtocolWhenNoneChosen() {
        ExtensionSpec deflate = new ExtensionSpec("permessage-deflate",
                List.of(ExtensionSpec.Parameter.flag("server_no_context_takeover"),
                        new ExtensionSpec.Parameter("client_max_window_bits", "10")));
        HttpResponseHead response = ServerHandshake.acceptResponse(ACCEPT, null, List.of(deflate, new ExtensionSpec("x")),
                HttpHeaders.of("Set-Cookie", "id=1"));
        assertEquals(101, response.status());
        assertEquals(HttpHeaders.of(
                "Upgrade", "websocket",
                "Connection", "Upgrade",
                "Sec-WebSocket-Accept", ACCEPT,
                "Sec-WebSocket-Extensions", "permessage-deflate; server_no_context_takeover; client_max_window_bits=10, x",
                "Set-Cookie", "id=1"), response.headers());
    }

    @Test
    void refusesToAnswerWithWhatWasNotAskedFor() {
        ServerHandshake.Accepted accepted = accepted(validateWith(h -> h.add("Sec-WebSocket-Extensions", "x-foo")));
        HttpHeaders none = new HttpHeaders();
        assertThrows(IllegalArgumentException.class,
                () -> ServerHandshake.acceptResponse(accepted, "other", List.of(), none));
        assertThrows(IllegalArgumentException.class,
                () -> ServerHandshake.acceptResponse(accepted, null, List.of(new ExtensionSpec("x-bar")), none));
        assertEquals(101, ServerHandshake.acceptResponse(accepted, "superchat", List.of(new ExtensionSpec("x-foo")), none)
                .status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upgrade", "connection", "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Extensions"})
    void refusesExtraHeadersTheHandshakeWrites(String name) {
        assertThrows(IllegalArgumentException.class,
                () -> ServerHandshake.acceptResponse(ACCEPT, null, List.of(), HttpHeaders.of(name, "x")));
    }

    @Test
    void refusesASubprotocolThatIsNotAToken() {
        assertThrows(IllegalArgumentException.class,
                () -> ServerHandshake.acceptResponse(ACCEPT, "a b", List.of(), new HttpHeaders()));
    }

    @Test
    void writesARejectionWithLengthAndBody() {
        ServerHandshake.Rejected rejected = rejected(validateWith(h -> h.set("Sec-WebSocket-Version", "8")), 426);
        String response = new String(ServerHandshake.rejectResponse(rejected), StandardCharsets.UTF_8);
        String body = "426 Upgrade Required: this server speaks WebSocket version 13\n";
        assertEquals("HTTP/1.1 426 Upgrade Required\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + body, response);
    }

    @Test
    void theContentLengthIsTheBodysLength() throws HandshakeException {
        ServerHandshake.Rejected rejected = new ServerHandshake.Rejected(400, "caf\u00E9 \u20AC", new HttpHeaders());
        byte[] response = ServerHandshake.rejectResponse(rejected);
        ByteBuffer buffer = ByteBuffer.wrap(response);
        HttpResponseHead head = HttpResponseHead.parser().parse(buffer).orElseThrow();
        assertEquals("Bad Request", head.reason());
        assertEquals(Integer.parseInt(head.headers().first("Content-Length")), buffer.remaining());
        assertEquals("400 Bad Request: not a valid WebSocket opening handshake\n",
                StandardCharsets.UTF_8.decode(buffer).toString());
    }

    @Test
    void theBodyIsAFixedTextPerStatus() {
        assertEquals("400 Bad Request: not a valid WebSocket opening handshake",
                new ServerHandshake.Rejected(400, "any reason", new HttpHeaders()).publicText());
        assertEquals("403 Forbidden", new ServerHandshake.Rejected(403, "origin x", new HttpHeaders()).publicText());
        assertEquals("404 Not Found", new ServerHandshake.Rejected(404, "no /x", new HttpHeaders()).publicText());
        assertEquals("426 Upgrade Required: this server speaks WebSocket version 13",
                new ServerHandshake.Rejected(426, "version 8", new HttpHeaders()).publicText());
        assertEquals("500 Internal Server Error", new ServerHandshake.Rejected(500,
                "java.lang.IllegalStateException: x", new HttpHeaders()).publicText());
        assertEquals("599", new ServerHandshake.Rejected(599, "no phrase", new HttpHeaders()).publicText());
    }

    /** What the client sent, in the reason for the log, is nowhere in the response (a reflection of it). */
    @ParameterizedTest
    @ValueSource(strings = {"Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "Host"})
    void theResponseQuotesNothingOfTheRequest(String header) {
        String planted = "planted<script>x</script>";
        ServerHandshake.Rejected rejected = assertInstanceOf(ServerHandshake.Rejected.class,
                validateWith(h -> h.set(header, planted)));
        assertTrue(rejected.reason().contains("planted"), "the log is told what was wrong: " + rejected.reason());
        String response = new String(ServerHandshake.rejectResponse(rejected), StandardCharsets.UTF_8);
        assertFalse(response.contains("planted"), response);
        assertFalse(response.contains("script"), response);
    }

    @Test
    void turnsAParseFailureIntoARejection() {
        HandshakeException failure = assertThrows(HandshakeException.class, () -> HttpRequestHead.parser()
                .parse(ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(101)))));
        ServerHandshake.Rejected rejected = ServerHandshake.Rejected.of(failure);
        assertEquals(431, rejected.status());
        assertTrue(new String(ServerHandshake.rejectResponse(rejected), StandardCharsets.UTF_8)
                .startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        assertEquals(400, ServerHandshake.Rejected.of(new HandshakeException(HandshakeException.NO_STATUS, "x")).status());
    }
}
