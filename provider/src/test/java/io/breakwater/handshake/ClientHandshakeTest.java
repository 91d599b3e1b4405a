package io.breakwater.handshake;

import static io.breakwater.handshake.HeadParsing.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientHandshakeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /** Yields the nonce of RFC 6455 §1.3, "the sample nonce", whose base64 form is {@link #KEY}. */
    private static final class SampleNonce extends Random {
        private static final long serialVersionUID = 1L;

        @Override
        public void nextBytes(byte[] bytes) {
            byte[] nonce = "the sample nonce".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(nonce, 0, bytes, 0, bytes.length);
        }
    }

    private static ClientHandshake.Builder builder(String uri) {
        return ClientHandshake.builder(URI.create(uri)).random(new SampleNonce());
    }

    private static String request(ClientHandshake handshake) {
        return new String(handshake.request().encode(), StandardCharsets.ISO_8859_1);
    }

    private static String fixedLines() {
        return "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n";
    }

    @Test
    void writesTheRequestOfRfc6455Section1_2() {
        ClientHandshake handshake = builder("ws://server.example.com/chat")
                .origin("http://example.com")
                .subprotocols(List.of("chat", "superchat"))
                .build();
        assertEquals(KEY, handshake.key());
        assertEquals(ACCEPT, handshake.expectedAccept());
        assertEquals("GET /chat HTTP/1.1\r\n"
                + "Host: server.example.com\r\n"
                + fixedLines()
                + "Origin: http://example.com\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                + "\r\n", request(handshake));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ws://example.com                 | /               | example.com           | example.com  | 80   | false",
        "ws://example.com/                | /               | example.com           | example.com  | 80   | false",
        "ws://example.com:80/a            | /a              | example.com           | example.com  | 80   | false",
        "wss://example.com/a              | /a              | example.com           | example.com  | 443  | true",
        "wss://example.com:443/a          | /a              | example.com           | example.com  | 443  | true",
        "ws://example.com:443/a           | /a              | example.com:443       | example.com  | 443  | false",
        "wss://example.com:80/a           | /a              | example.com:80        | example.com  | 80   | true",
        "ws://example.com:8080/a/b?x=1&y  | /a/b?x=1&y      | example.com:8080      | example.com  | 8080 | false",
        "WS://Example.COM/?q              | /?q             | Example.COM           | Example.COM  | 80   | false",
        "ws://example.com?q=%20a          | /?q=%20a        | example.com           | example.com  | 80   | false",
        "ws://example.com/%7Euser/a%2Fb   | /%7Euser/a%2Fb  | example.com           | example.com  | 80   | false",
        "ws://[::1]/                      | /               | [::1]                 | ::1          | 80   | false",
        "ws://[::1]:9000/x                | /x              | [::1]:9000            | ::1          | 9000 | false",
        "wss://[2001:db8::7]:443/         | /               | [2001:db8::7]         | 2001:db8::7  | 443  | true",
        "ws://127.0.0.1:8025/echo         | /echo           | 127.0.0.1:8025        | 127.0.0.1    | 8025 | false",
        "ws://user:pw@example.com/        | /               | example.com           | example.com  | 80   | false",
    })
    void writesTargetAndHostForUri(String uri, String target, String hostHeader, String host, int port,
                                   boolean secure) {
        ClientHandshake handshake = builder(uri).build();
        assertEquals("GET " + target + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + fixedLines()
                + "\r\n", request(handshake));
        assertEquals(host, handshake.host());
        assertEquals(port, handshake.port());
        assertEquals(secure, handshake.secure());
    }

    @Test
    void percentEncodesNonAsciiCharactersOfTheUri() throws Exception {
        ClientHandshake handshake = ClientHandshake.builder(new URI("ws", "example.com", "/caf\u00E9", "q=\u20AC", null))
                .build();
        assertEquals("/caf%C3%A9?q=%E2%82%AC", handshake.request().target());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/", "https://example.com/", "example.com/x", "ws:/relative",
        "ws://example.com/#fragment", "ws:///path", "ws://under_score.example/"})
    void refusesUrisThatAreNotWebSocketUris(String uri) {
        assertThrows(IllegalArgumentException.class, () -> ClientHandshake.builder(URI.create(uri)).build());
    }

    @Test
    void offersExtensionsAndAddsCallerHeadersAfterItsOwn() {
        ExtensionSpec deflate = new ExtensionSpec("permessage-deflate",
                List.of(ExtensionSpec.Parameter.flag("client_max_window_bits")));
        ClientHandshake handshake = builder("ws://example.com/")
                .extensions(List.of(deflate, new ExtensionSpec("x-foo")))
                .header("Cookie", "id=1")
                .header("Authorization", "Basic dXNlcjpwdw==")
                .build();
        assertEquals("GET / HTTP/1.1\r\n"
                + "Host: example.com\r\n"
                + fixedLines()
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-foo\r\n"
                + "Cookie: id=1\r\n"
                + "Authorization: Basic dXNlcjpwdw==\r\n"
                + "\r\n", request(handshake));
    }

    @Test
    void aCallerHeaderReplacesTheOrigin() {
        ClientHandshake handshake = builder("ws://example.com/")
                .origin("http://a.example")
                .headers(HttpHeaders.of("origin", "http://b.example"))
                .build();
        assertEquals(List.of("http://b.example"), handshake.request().headers().all("Origin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "upgrade", "Connection", "Sec-WebSocket-Key", "SEC-WEBSOCKET-VERSION",
        "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept"})
    void refusesCallerHeadersTheHandshakeWrites(String name) {
        ClientHandshake.Builder builder = builder("ws://example.com/");
        assertThrows(IllegalArgumentException.class, () -> builder.header(name, "x"));
    }

    @Test
    void refusesSubprotocolsThatAreNotTokensOrRepeated() {
        ClientHandshake.Builder builder = builder("ws://example.com/");
        assertThrows(IllegalArgumentException.class, () -> builder.subprotocols(List.of("a b")));
        assertThrows(IllegalArgumentException.class, () -> builder.subprotocols(List.of("a,b")));
        assertThrows(IllegalArgumentException.class, () -> builder.subprotocols(List.of("")));
        assertThrows(IllegalArgumentException.class, () -> builder.subprotocols(List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> builder.origin("http://a\r\nX: y"));
    }

    @Test
    void drawsAFreshValidKeyFromTheRandomSource() {
        ClientHandshake first = ClientHandshake.builder(URI.create("ws://a/")).build();
        ClientHandshake second = ClientHandshake.builder(URI.create("ws://a/")).build();
        assertTrue(ServerHandshake.isValidKey(first.key()));
        assertNotEquals(first.key(), second.key());
        assertEquals(builder("ws://a/").build().key(), KEY);
        assertEquals(ClientHandshake.builder(URI.create("ws://a/")).random(new Random(7)).build().key(),
                ClientHandshake.builder(URI.create("ws://a/")).random(new Random(7)).build().key());
    }

    // ---- validation of the response (RFC 6455 §4.1) ----

    private static ClientHandshake offering() {
        return builder("ws://server.example.com/chat")
                .subprotocols(List.of("chat", "superchat"))
                .extensions(List.of(new ExtensionSpec("permessage-deflate"), new ExtensionSpec("x-foo")))
                .build();
    }

    private static HttpHeaders validResponseHeaders() {
        return HttpHeaders.of(
                "Upgrade", "websocket",
                "Connection", "Upgrade",
                "Sec-WebSocket-Accept", ACCEPT);
    }

    private static HttpResponseHead response(Consumer<HttpHeaders> change) {
        HttpHeaders headers = validResponseHeaders();
        change.accept(headers);
        return HttpResponseHead.of(101, headers);
    }

    private static HandshakeException failure(HttpResponseHead response) {
        return assertThrows(HandshakeException.class, () -> offering().validate(response));
    }

    private static void assertFails(Consumer<HttpHeaders> change, String messagePart) {
        HandshakeException failure = failure(response(change));
        assertEquals(101, failure.status());
        assertTrue(failure.getMessage().contains(messagePart), failure.getMessage());
    }

    @Test
    void acceptsTheResponseOfRfc6455Section1_3() throws HandshakeException {
        ClientHandshake.Result result = offering().validate(response(h -> h.add("Sec-WebSocket-Protocol", "chat")));
        assertEquals("chat", result.subprotocol());
        assertEquals(List.of(), result.extensions());
        assertEquals(ACCEPT, result.headers().first("Sec-WebSocket-Accept"));
    }

    @Test
    void acceptsNoSubprotocolAndTheExtensionsTheServerKept() throws HandshakeException {
        ClientHandshake.Result result = offering().validate(response(h -> h
                .add("Sec-WebSocket-Extensions", "x-foo; a=1")
                .add("sec-websocket-extensions", "permessage-deflate; server_no_context_takeover")));
        assertNull(result.subprotocol());
        assertEquals(List.of(new ExtensionSpec("x-foo", List.of(new ExtensionSpec.Parameter("a", "1"))),
                new ExtensionSpec("permessage-deflate", List.of(ExtensionSpec.Parameter.flag("server_no_context_takeover")))),
                result.extensions());
    }

    @Test
    void comparesTokensIgnoringCaseAndFindsUpgradeInAConnectionList() throws HandshakeException {
        offering().validate(HttpResponseHead.of(101, HttpHeaders.of(
                "UPGRADE", "WebSocket",
                "connection", "keep-alive, upgrade",
                "SEC-WEBSOCKET-ACCEPT", ACCEPT)));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 301, 400, 403, 404, 426, 500})
    void failsOnAnyStatusOtherThan101WithThatStatus(int status) {
        HandshakeException failure = failure(HttpResponseHead.of(status, HttpHeaders.of("Sec-WebSocket-Version", "13")));
        assertEquals(status, failure.status());
        assertTrue(failure.getMessage().contains(Integer.toString(status)), failure.getMessage());
    }

    @Test
    void tellsTheVersionsA426Lists() {
        HandshakeException failure = failure(HttpResponseHead.of(426, HttpHeaders.of("Sec-WebSocket-Version", "8, 7")));
        assertTrue(failure.getMessage().contains("Sec-WebSocket-Version 8, 7"), failure.getMessage());
    }

    @Test
    void failsOnAMissingOrWrongUpgrade() {
        assertFails(h -> h.remove("Upgrade"), "missing Upgrade");
        assertFails(h -> h.set("Upgrade", "h2c"), "Upgrade is not 'websocket'");
        assertFails(h -> h.set("Upgrade", "websocket, h2c"), "Upgrade is not 'websocket'");
        assertFails(h -> h.set("Upgrade", ""), "missing Upgrade");
    }

    @Test
    void failsOnAMissingOrWrongConnection() {
        assertFails(h -> h.remove("Connection"), "missing Connection");
        assertFails(h -> h.set("Connection", "keep-alive"), "Connection does not list 'Upgrade'");
        assertFails(h -> h.set("Connection", "upgraded"), "Connection does not list 'Upgrade'");
    }

    @Test
    void failsOnAMissingOrWrongAccept() {
        assertFails(h -> h.remove("Sec-WebSocket-Accept"), "missing Sec-WebSocket-Accept");
        assertFails(h -> h.set("Sec-WebSocket-Accept", ServerHandshake.acceptKey("AAAAAAAAAAAAAAAAAAAAAA==")),
                "does not answer the key");
        assertFails(h -> h.set("Sec-WebSocket-Accept", ACCEPT.toLowerCase()), "does not answer the key");
        assertFails(h -> h.set("Sec-WebSocket-Accept", KEY), "does not answer the key");
        assertFails(h -> h.add("Sec-WebSocket-Accept", ACCEPT), "more than one Sec-WebSocket-Accept");
    }

    @Test
    void failsOnASubprotocolThatWasNotRequested() {
        assertFails(h -> h.add("Sec-WebSocket-Protocol", "other"), "not requested");
        assertFails(h -> h.add("Sec-WebSocket-Protocol", "CHAT"), "not requested");
        HandshakeException failure = assertThrows(HandshakeException.class, () -> builder("ws://a/").build()
                .validate(response(h -> h.add("Sec-WebSocket-Protocol", "chat"))));
        assertTrue(failure.getMessage().contains("not requested"));
    }

    @Test
    void failsOnMoreThanOneSubprotocol() {
        assertFails(h -> h.add("Sec-WebSocket-Protocol", "chat, superchat"), "more than one subprotocol");
        assertFails(h -> h.add("Sec-WebSocket-Protocol", "chat").add("Sec-WebSocket-Protocol", "chat"),
                "more than one subprotocol");
        assertFails(h -> h.add("Sec-WebSocket-Protocol", ""), "empty Sec-WebSocket-Protocol");
    }

    @Test
    void failsOnAnExtensionThatWasNotOffered() {
        assertFails(h -> h.add("Sec-WebSocket-Extensions", "x-bar"), "extension x-bar, which was not offered");
        assertFails(h -> h.add("Sec-WebSocket-Extensions", "permessage-deflate, x-bar"), "x-bar");
        HandshakeException failure = assertThrows(HandshakeException.class, () -> builder("ws://a/").build()
                .validate(response(h -> h.add("Sec-WebSocket-Extensions", "permessage-deflate"))));
        assertTrue(failure.getMessage().contains("not offered"));
    }

    @Test
    void failsOnAMalformedExtensionHeader() {
        assertFails(h -> h.add("Sec-WebSocket-Extensions", "permessage-deflate;"), "malformed Sec-WebSocket-Extensions");
        assertFails(h -> h.add("Sec-WebSocket-Extensions", ""), "malformed Sec-WebSocket-Extensions");
        assertFails(h -> h.add("Sec-WebSocket-Extensions", "x-foo; a=\"b c\""), "malformed Sec-WebSocket-Extensions");
    }

    // ---- both sides together ----

    @Test
    void aServerAcceptsTheClientsRequestAndTheClientAcceptsTheAnswer() throws HandshakeException {
        ClientHandshake client = ClientHandshake.builder(URI.create("ws://[::1]:8025/echo?x=1"))
                .subprotocols(List.of("v2", "v1"))
                .extensions(List.of(new ExtensionSpec("permessage-deflate",
                        List.of(ExtensionSpec.Parameter.flag("client_max_window_bits")))))
                .origin("http://localhost")
                .build();
        HttpRequestHead request = HttpRequestHead.parser()
                .parse(java.nio.ByteBuffer.wrap(client.request().encode())).orElseThrow();
        ServerHandshake.Outcome outcome = ServerHandshake.validate(request);
        assertTrue(outcome instanceof ServerHandshake.Accepted);
        ServerHandshake.Accepted accepted = (ServerHandshake.Accepted) outcome;
        assertEquals("/echo?x=1", accepted.target());
        assertEquals(List.of("v2", "v1"), accepted.subprotocols());
        assertEquals("http://localhost", accepted.origin());
        assertEquals(client.extensions(), accepted.extensions());

        ExtensionSpec agreed = new ExtensionSpec("permessage-deflate",
                List.of(new ExtensionSpec.Parameter("client_max_window_bits", "10")));
        byte[] answer = ServerHandshake.acceptResponse(accepted, "v1", List.of(agreed), new HttpHeaders()).encode();
        HttpResponseHead response = HttpResponseHead.parser().parse(java.nio.ByteBuffer.wrap(answer)).orElseThrow();
        ClientHandshake.Result result = client.validate(response);
        assertEquals("v1", result.subprotocol());
        assertEquals(List.of(agreed), result.extensions());
    }

    @Test
    void theRequestBytesParseBackToTheRequest() throws HandshakeException {
        ClientHandshake client = offering();
        byte[] encoded = client.request().encode();
        assertArrayEquals(encoded, HttpRequestHead.parser().parse(java.nio.ByteBuffer.wrap(encoded)).orElseThrow()
                .encode());
        assertFalse(new String(encoded, StandardCharsets.ISO_8859_1).contains("\n\n"));
        assertEquals(client.request(), HeadParsing.parseWhole(HttpRequestHead.parser()::parse, encoded, 0));
        assertArrayEquals(bytes(request(client)), encoded);
    }
}
