package io.breakwater.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HttpHeadersTest {

    @Test
    void looksUpNamesIgnoringCase() {
        HttpHeaders headers = HttpHeaders.of("Sec-WebSocket-Key", "abc", "HOST", "example.com");
        assertEquals("abc", headers.first("sec-websocket-key"));
        assertEquals("example.com", headers.first("host"));
        assertTrue(headers.contains("Host"));
        assertNull(headers.first("Origin"));
        assertEquals(List.of(), headers.all("Origin"));
    }

    @Test
    void caseFoldingIsAsciiOnly() {
        // U+212A KELVIN SIGN lower-cases to 'k' in Unicode; HTTP compares ASCII case-insensitively only.
        assertTrue("websoc\u212Aet".equalsIgnoreCase("websocket"));
        assertFalse(Ascii.equalsIgnoreCase("websoc\u212Aet", "websocket"));
        assertTrue(Ascii.equalsIgnoreCase("WebSocket", "websocket"));
    }

    @Test
    void keepsLinesInOrderAndAllValuesOfARepeatedName() {
        HttpHeaders headers = new HttpHeaders()
                .add("Sec-WebSocket-Protocol", "a")
                .add("Cookie", "x=1")
                .add("sec-websocket-protocol", "b, c");
        assertEquals("a", headers.first("Sec-WebSocket-Protocol"));
        assertEquals(List.of("a", "b, c"), headers.all("SEC-WEBSOCKET-PROTOCOL"));
        assertEquals(List.of("a", "b", "c"), headers.elements("Sec-WebSocket-Protocol"));
        assertEquals(3, headers.size());
        assertEquals("Cookie", headers.fields().get(1).name());
        assertEquals("sec-websocket-protocol", headers.fields().get(2).name());
    }

    @Test
    void splitsListsTrimmingWhitespaceAndDroppingEmptyElements() {
        assertEquals(List.of("keep-alive", "Upgrade"), HttpHeaders.splitList("keep-alive, Upgrade"));
        assertEquals(List.of("a", "b"), HttpHeaders.splitList(" ,\ta ,, b\t, "));
        assertEquals(List.of(), HttpHeaders.splitList(""));
        assertEquals(List.of(), HttpHeaders.splitList(" , ,"));
        assertEquals(List.of("x; q=\"a,b\"", "y"), HttpHeaders.splitList("x; q=\"a,b\", y"));
        assertEquals(List.of("\"a\\\",b\"", "c"), HttpHeaders.splitList("\"a\\\",b\", c"));
    }

    @Test
    void containsTokenMatchesWholeElementsIgnoringCase() {
        HttpHeaders headers = HttpHeaders.of("Connection", "keep-alive, Upgrade");
        assertTrue(headers.containsToken("connection", "upgrade"));
        assertTrue(headers.containsToken("Connection", "KEEP-ALIVE"));
        assertFalse(headers.containsToken("Connection", "close"));
        assertFalse(HttpHeaders.of("Connection", "upgraded").containsToken("Connection", "upgrade"));
        assertFalse(HttpHeaders.of("Connection", "keep-alive upgrade").containsToken("Connection", "upgrade"));
        assertTrue(new HttpHeaders().add("Connection", "keep-alive").add("Connection", "upgrade")
                .containsToken("Connection", "Upgrade"));
    }

    @Test
    void setReplacesEveryLineInPlace() {
        HttpHeaders headers = new HttpHeaders().add("A", "1").add("Origin", "x").add("B", "2").add("origin", "y");
        headers.set("ORIGIN", "z");
        assertEquals(HttpHeaders.of("A", "1", "ORIGIN", "z", "B", "2"), headers);
        headers.set("C", "3");
        assertEquals("C", headers.fields().get(3).name());
        assertTrue(headers.remove("c"));
        assertFalse(headers.remove("c"));
    }

    @Test
    void refusesNamesThatAreNotTokensAndValuesWithControlCharacters() {
        HttpHeaders headers = new HttpHeaders();
        assertThrows(IllegalArgumentException.class, () -> headers.add("", "v"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("Bad:Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X", "a\r\nInjected: yes"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X", "a\0b"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X", "a\u007Fb"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X", "\u20AC"));
        headers.add("X", "tab\tand obs-text \u00E9");
        assertEquals(1, headers.size());
    }

    @Test
    void equalityIgnoresNameCaseButNotOrderOrValues() {
        assertEquals(HttpHeaders.of("Host", "a"), HttpHeaders.of("host", "a"));
        assertEquals(HttpHeaders.of("Host", "a").hashCode(), HttpHeaders.of("HOST", "a").hashCode());
        assertNotEquals(HttpHeaders.of("Host", "a"), HttpHeaders.of("Host", "A"));
        assertNotEquals(HttpHeaders.of("A", "1", "B", "2"), HttpHeaders.of("B", "2", "A", "1"));
    }

    @Test
    void copyIsIndependent() {
        HttpHeaders original = HttpHeaders.of("A", "1");
        HttpHeaders copy = original.copy().add("B", "2");
        assertEquals(1, original.size());
        assertEquals(2, copy.size());
        assertEquals("A: 1\r\nB: 2\r\n", copy.toString());
    }

    @Test
    void ofNeedsPairs() {
        assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("A"));
    }
}
