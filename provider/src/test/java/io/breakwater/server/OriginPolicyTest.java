package io.breakwater.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OriginPolicyTest {

    private static final OriginPolicy CHAT =
            OriginPolicy.allowing(List.of("https://chat.example.com", "http://localhost:8080"));

    private static boolean chatAccepts(String... origins) {
        return CHAT.accepts(List.of(origins));
    }

    @Test
    void withoutAListEveryOriginIsAccepted() {
        OriginPolicy any = OriginPolicy.acceptingAll();
        assertTrue(any.accepts(List.of("http://evil.example")));
        assertTrue(any.accepts(List.of("null")));
        assertTrue(any.accepts(List.of("not an origin")));
        assertTrue(any.accepts(List.of()));
        assertEquals(Optional.empty(), any.allowed());
    }

    @Test
    void listedOriginsAreAcceptedAndOthersRefused() {
        assertTrue(chatAccepts("https://chat.example.com"));
        assertTrue(chatAccepts("http://localhost:8080"));
        assertFalse(chatAccepts("http://evil.example"));
        assertFalse(chatAccepts("http://chat.example.com"), "another scheme is another origin");
        assertFalse(chatAccepts("https://chat.example.com:8443"), "another port is another origin");
        assertFalse(chatAccepts("http://localhost"), "another port is another origin");
        assertFalse(chatAccepts("https://evil.chat.example.com"), "a subdomain is another origin");
        assertFalse(chatAccepts("https://chat.example.com.evil.example"));
    }

    @Test
    void aRequestWithoutOriginIsAccepted() {
        assertTrue(chatAccepts());
    }

    @Test
    void schemeAndHostCompareIgnoringCase() {
        assertTrue(chatAccepts("HTTPS://Chat.Example.COM"));
        OriginPolicy upperCase = OriginPolicy.allowing(List.of("HTTPS://CHAT.example.com"));
        assertTrue(upperCase.accepts(List.of("https://chat.example.com")));
    }

    @Test
    void theSchemesDefaultPortIsTheSameAsNone() {
        assertTrue(chatAccepts("https://chat.example.com:443"));
        assertFalse(chatAccepts("https://chat.example.com:80"));
        OriginPolicy withPort = OriginPolicy.allowing(List.of("http://example.com:80", "https://example.org:443"));
        assertTrue(withPort.accepts(List.of("http://example.com")));
        assertTrue(withPort.accepts(List.of("https://example.org")));
        assertEquals(Optional.of(Set.of("http://example.com", "https://example.org")), withPort.allowed());
    }

    @Test
    void anIpLiteralIsAnOriginsHost() {
        OriginPolicy loopback = OriginPolicy.allowing(List.of("http://[::1]:8080", "http://127.0.0.1:8080"));
        assertTrue(loopback.accepts(List.of("http://[::1]:8080")));
        assertTrue(loopback.accepts(List.of("http://127.0.0.1:8080")));
        assertFalse(loopback.accepts(List.of("http://[::2]:8080")));
        assertFalse(loopback.accepts(List.of("http://127.0.0.1:9090")));
    }

    @Test
    void theOpaqueOriginIsRefusedUnlessListed() {
        assertFalse(chatAccepts("null"));
        assertTrue(OriginPolicy.allowing(List.of("null")).accepts(List.of("null")));
        assertFalse(OriginPolicy.allowing(List.of("null")).accepts(List.of("https://chat.example.com")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "chat.example.com", "https://chat.example.com/", "https://chat.example.com/path",
        "https://user@chat.example.com", "https://chat.example.com?x", "https://chat.example.com:x",
        "https://chat.example.com:", "https://chat.example.com:99999", "https://", "NULL", "null null",
        "https://chat.example.com http://localhost:8080", "https://chat.example.com, http://localhost:8080"})
    void aValueThatIsNoOriginIsRefused(String value) {
        assertFalse(chatAccepts(value), value);
    }

    @Test
    void everyOriginFieldMustBeAllowed() {
        assertTrue(chatAccepts("https://chat.example.com", "http://localhost:8080"));
        assertFalse(chatAccepts("https://chat.example.com", "http://evil.example"));
        assertFalse(chatAccepts("http://evil.example", "https://chat.example.com"));
    }

    @Test
    void anEmptyListAllowsOnlyRequestsWithoutOrigin() {
        OriginPolicy none = OriginPolicy.allowing(List.of());
        assertFalse(none.accepts(List.of("https://chat.example.com")));
        assertTrue(none.accepts(List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "chat.example.com", "https://chat.example.com/", "https://user@chat.example.com",
        "https://chat.example.com:port", "https://b\u00FCcher.example", "*", "https://*.example.com"})
    void aListedValueThatIsNoOriginIsAnError(String entry) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> OriginPolicy.allowing(List.of("https://chat.example.com", entry)));
        assertTrue(error.getMessage().contains("is not an origin"), error.getMessage());
    }
}
