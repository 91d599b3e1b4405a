package io.breakwater.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.breakwater.server.UriTemplate.Literal;
import io.breakwater.server.UriTemplate.Variable;
import jakarta.websocket.DeploymentException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class UriTemplateTest {

    private static UriTemplate parse(String path) {
        try {
            return UriTemplate.parse(path);
        } catch (DeploymentException e) {
            throw new AssertionError("expected a valid path: " + path, e);
        }
    }

    private static Optional<Map<String, String>> match(String template, String request) {
        return parse(template).match(request);
    }

    // ---- parsing: valid paths ------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "/", "/a", "/a/b", "/a/b/", "/{a}", "/{a}/", "/a/{b}/c", "/bookings/{guest-id}", "/{a.b}", "/{a_b1}",
        "/{A%20b}", "/{0}", "/caf%C3%A9", "/café", "/a:b@c", "/a;b=c,d", "/~user", "/a-b.c_d", "/!$&'()*+",
        "/.well-known", "/a..b", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}/{j}/{k}",
    })
    void acceptsValidPaths(String path) {
        assertEquals(path, parse(path).path());
    }

    @Test
    void rootIsOneEmptyLiteral() {
        assertEquals(List.of(new Literal("")), parse("/").segments());
        assertTrue(parse("/").isLiteral());
    }

    @Test
    void trailingSlashIsAnEmptyLastLiteral() {
        assertEquals(List.of(new Literal("a"), new Literal("b"), new Literal("")), parse("/a/b/").segments());
    }

    @Test
    void segmentsAndVariablesInOrder() {
        UriTemplate template = parse("/rooms/{room}/members/{member-id}");
        assertEquals(List.of(new Literal("rooms"), new Variable("room"), new Literal("members"),
                new Variable("member-id")), template.segments());
        assertEquals(List.of("room", "member-id"), template.variableNames());
        assertFalse(template.isLiteral());
    }

    @Test
    void literalsAreHeldDecoded() {
        assertEquals(List.of(new Literal("café"), new Literal("a b")), parse("/caf%c3%A9/a%20b").segments());
    }

    // ---- parsing: every invalid form -----------------------------------------------------------

    static Stream<Arguments> invalidPaths() {
        return Stream.of(
                arguments("", "must start with '/'"),
                arguments("a", "must start with '/'"),
                arguments("a/b", "must start with '/'"),
                arguments(" /a", "must start with '/'"),
                arguments("//", "empty segment"),
                arguments("//a", "empty segment"),
                arguments("/a//b", "empty segment"),
                arguments("/a/b//", "empty segment"),
                arguments("/a/../b", "dot segment"),
                arguments("/a/./b", "dot segment"),
                arguments("/a/..", "dot segment"),
                arguments("/a/.", "dot segment"),
                arguments("/..", "dot segment"),
                arguments("/%2E%2e", "dot segment"),
                arguments("/a{b}", "whole segment"),
                arguments("/{a}b", "whole segment"),
                arguments("/x{a}y", "whole segment"),
                arguments("/{a}{b}", "braces"),
                arguments("/{a", "braces"),
                arguments("/a}", "braces"),
                arguments("/}a{", "braces"),
                arguments("/{{a}}", "braces"),
                arguments("/{}", "empty variable name"),
                arguments("/{+a}", "operator '+'"),
                arguments("/{#a}", "operator '#'"),
                arguments("/{.a}", "operator '.'"),
                arguments("/{;a}", "operator ';'"),
                arguments("/{?a}", "operator '?'"),
                arguments("/{&a}", "operator '&'"),
                arguments("/{=a}", "operator '='"),
                arguments("/{a,b}", "more than one variable"),
                arguments("/{a:3}", "value modifier"),
                arguments("/{a*}", "value modifier"),
                arguments("/{a b}", "has the character U+0020"),
                arguments("/{a$}", "has the character '$'"),
                arguments("/{a..b}", "'.' that is not between"),
                arguments("/{a.}", "'.' that is not between"),
                arguments("/{a%2}", "malformed percent-encoding"),
                arguments("/{a%zz}", "malformed percent-encoding"),
                arguments("/{x}/{x}", "variable 'x' is used more than once"),
                arguments("/{x}/a/{y}/{x}", "variable 'x' is used more than once"),
                arguments("/a b", "U+0020"),
                arguments("/a?b", "'?'"),
                arguments("/a#b", "'#'"),
                arguments("/a%", "malformed percent-encoding"),
                arguments("/a%2", "malformed percent-encoding"),
                arguments("/a%zz", "malformed percent-encoding"),
                arguments("/a%C3", "does not decode as UTF-8"),
                arguments("/a%FF", "does not decode as UTF-8"),
                arguments("/a\\b", "'\\'"),
                arguments("/a|b", "'|'"),
                arguments("/a^b", "'^'"),
                arguments("/a`b", "'`'"),
                arguments("/a<b", "'<'"),
                arguments("/a>b", "'>'"),
                arguments("/a\"b", "'\"'"),
                arguments("/a[b", "'['"),
                arguments("/a]b", "']'"));
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @MethodSource("invalidPaths")
    void rejectsInvalidPaths(String path, String rule) {
        DeploymentException e = assertThrows(DeploymentException.class, () -> UriTemplate.parse(path));
        assertTrue(e.getMessage().contains("\"" + path + "\""), () -> "names the path: " + e.getMessage());
        assertTrue(e.getMessage().contains(rule), () -> "names the rule '" + rule + "': " + e.getMessage());
    }

    @Test
    void rejectsNull() {
        DeploymentException e = assertThrows(DeploymentException.class, () -> UriTemplate.parse(null));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\u0001", "/a\u007F", "/a\u0085", "/a\u00A0", "/a\u2028", "/a\uD800", "/a\uDC00b"})
    void rejectsControlSpaceAndUnpairedSurrogateCharacters(String path) {
        assertThrows(DeploymentException.class, () -> UriTemplate.parse(path));
    }

    @Test
    void acceptsPairedSurrogates() {
        assertEquals(List.of(new Literal("\uD83D\uDE00")), parse("/\uD83D\uDE00").segments());
        assertEquals(Optional.of(Map.of()), match("/\uD83D\uDE00", "/%F0%9F%98%80"));
    }

    // ---- matching ------------------------------------------------------------------------------

    @Test
    void variableMatchesOneNonEmptySegment() {
        // The examples of 3.1.1 (ii).
        assertEquals(Optional.of(Map.of("var", "b")), match("/a/{var}", "/a/b"));
        assertEquals(Optional.of(Map.of("var", "apple")), match("/a/{var}", "/a/apple"));
        assertEquals(Optional.empty(), match("/a/{var}", "/a"));
        assertEquals(Optional.empty(), match("/a/{var}", "/a/b/"));
        assertEquals(Optional.empty(), match("/a/{var}", "/a/b/c"));
        assertEquals(Optional.empty(), match("/a/{var}", "/a/"));
    }

    @Test
    void trailingSlashIsSignificant() {
        // 3.1.1 (i): "/a/b/" matches only "/a/b/".
        assertEquals(Optional.of(Map.of()), match("/a/b/", "/a/b/"));
        assertEquals(Optional.empty(), match("/a/b/", "/a/b"));
        assertEquals(Optional.empty(), match("/a/b", "/a/b/"));
        assertEquals(Optional.of(Map.of("x", "b")), match("/a/{x}/", "/a/b/"));
        assertEquals(Optional.empty(), match("/a/{x}/", "/a/b"));
    }

    @Test
    void rootMatchesOnlyRoot() {
        assertEquals(Optional.of(Map.of()), match("/", "/"));
        assertEquals(Optional.of(Map.of()), match("/", "/?x=1"));
        assertEquals(Optional.empty(), match("/", "/a"));
        assertEquals(Optional.empty(), match("/{x}", "/"));
    }

    @Test
    void literalMatchIsExactAndCaseSensitive() {
        assertEquals(Optional.of(Map.of()), match("/chat", "/chat"));
        assertEquals(Optional.empty(), match("/chat", "/Chat"));
        assertEquals(Optional.empty(), match("/chat", "/chats"));
    }

    @Test
    void queryStringAndFragmentAreNotPartOfThePath() {
        assertEquals(Optional.of(Map.of("id", "7")), match("/items/{id}", "/items/7?x=/a/b&y=%zz"));
        assertEquals(Optional.of(Map.of("id", "7")), match("/items/{id}", "/items/7#frag"));
        assertEquals(Optional.of(Map.of("id", "7")), match("/items/{id}", "/items/7?"));
        assertEquals(Optional.empty(), match("/items/{id}", "/items/?id=7"));
    }

    @Test
    void valuesArePercentDecoded() {
        assertEquals(Optional.of(Map.of("v", "hello world")), match("/a/{v}", "/a/hello%20world"));
        assertEquals(Optional.of(Map.of("v", "café")), match("/a/{v}", "/a/caf%C3%A9"));
        assertEquals(Optional.of(Map.of("v", "café")), match("/a/{v}", "/a/caf%c3%a9"));
        assertEquals(Optional.of(Map.of("v", "1+1")), match("/a/{v}", "/a/1+1"));
        assertEquals(Optional.of(Map.of("v", "100%")), match("/a/{v}", "/a/100%25"));
    }

    @Test
    void encodedSlashStaysInsideItsSegment() {
        assertEquals(Optional.of(Map.of("v", "x/y")), match("/a/{v}", "/a/x%2Fy"));
        assertEquals(Optional.empty(), match("/a/x/y", "/a/x%2Fy"));
    }

    @Test
    void literalsCompareDecoded() {
        assertEquals(Optional.of(Map.of("v", "z")), match("/a/{v}", "/%61/z"));
        assertEquals(Optional.of(Map.of()), match("/caf%C3%A9", "/café"));
        assertEquals(Optional.of(Map.of()), match("/caf%C3%A9", "/caf%c3%a9"));
        assertEquals(Optional.of(Map.of()), match("/café", "/caf%C3%A9"));
        assertEquals(Optional.of(Map.of()), match("/a%20b", "/a%20b"));
    }

    @Test
    void malformedEncodingMatchesNothing() {
        assertEquals(Optional.empty(), match("/a/{v}", "/a/%zz"));
        assertEquals(Optional.empty(), match("/a/{v}", "/a/%2"));
        assertEquals(Optional.empty(), match("/a/{v}", "/a/%C3"));
        assertEquals(Optional.empty(), match("/a/{v}", "/a/%C0%AF"));
    }

    @Test
    void dotSegmentsAreRemovedFromTheRequest() {
        // RFC 3986 §5.2.4 and §6.2.2.3, as 3.1.1 compares the normalized request URI.
        assertEquals(Optional.of(Map.of()), match("/a/b", "/a/./b"));
        assertEquals(Optional.of(Map.of()), match("/a/b", "/a/x/../b"));
        assertEquals(Optional.of(Map.of()), match("/a/b", "/a/x/%2E%2E/b"));
        assertEquals(Optional.of(Map.of()), match("/a/", "/a/b/.."));
        assertEquals(Optional.of(Map.of()), match("/a/", "/a/."));
        assertEquals(Optional.of(Map.of()), match("/", "/.."));
        assertEquals(Optional.of(Map.of()), match("/b", "/../../b"));
    }

    @Test
    void emptyRequestSegmentsDoNotCollapse() {
        assertEquals(Optional.empty(), match("/a/b", "/a//b"));
        assertEquals(Optional.empty(), match("/a/{v}/b", "/a//b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a/b", "*", "http://host/a"})
    void requestPathMustStartWithSlash(String request) {
        assertEquals(Optional.empty(), match("/{v}", request));
    }

    @Test
    void nullRequestMatchesNothing() {
        assertEquals(Optional.empty(), match("/{v}", null));
    }

    @Test
    void parametersKeepTemplateOrderAndAreUnmodifiable() {
        Map<String, String> parameters = match("/{z}/{a}/{m}", "/1/2/3").orElseThrow();
        assertEquals(List.of("z", "a", "m"), List.copyOf(parameters.keySet()));
        assertThrows(UnsupportedOperationException.class, () -> parameters.put("x", "y"));
    }

    // ---- equivalence ---------------------------------------------------------------------------

    @Test
    void equivalenceIgnoresVariableNames() {
        assertTrue(parse("/a/{x}").isEquivalentTo(parse("/a/{y}")));
        assertTrue(parse("/{p}/{q}").isEquivalentTo(parse("/{q}/{p}")));
        assertTrue(parse("/a/b").isEquivalentTo(parse("/a/%62")));
        assertFalse(parse("/a/{x}").isEquivalentTo(parse("/a/b")));
        assertFalse(parse("/a/b").isEquivalentTo(parse("/a/{x}")));
        assertFalse(parse("/a/b").isEquivalentTo(parse("/a/b/")));
        assertFalse(parse("/{x}/b").isEquivalentTo(parse("/a/{y}")));
        assertFalse(parse("/a").isEquivalentTo(parse("/a/{x}")));
    }

    @Test
    void valueSemanticsOnThePath() {
        assertEquals(parse("/a/{x}"), parse("/a/{x}"));
        assertEquals(parse("/a/{x}").hashCode(), parse("/a/{x}").hashCode());
        assertFalse(parse("/a/{x}").equals(parse("/a/{y}")));
        assertEquals("/a/{x}", parse("/a/{x}").toString());
    }
}
