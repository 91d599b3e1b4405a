package io.breakwater.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.breakwater.server.TestEndpoints.A;
import io.breakwater.server.TestEndpoints.B;
import io.breakwater.server.TestEndpoints.C;
import io.breakwater.server.TestEndpoints.D;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EndpointRegistryTest {

    private final EndpointRegistry registry = new EndpointRegistry();

    private ServerEndpointConfig add(Class<?> endpointClass, String path) {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(endpointClass, path).build();
        try {
            registry.register(config);
        } catch (DeploymentException e) {
            throw new AssertionError(e);
        }
        return config;
    }

    private void assertFinds(ServerEndpointConfig expected, String request, Map<String, String> parameters) {
        EndpointRegistry.Match match = registry.find(request)
                .orElseThrow(() -> new AssertionError("no match for " + request + ", expected " + expected.getPath()));
        assertSame(expected, match.config(), () -> request + " matched " + match.config().getPath());
        assertEquals(expected.getPath(), match.template().path());
        assertEquals(parameters, match.pathParameters());
    }

    private void assertNoMatch(String request) {
        Optional<EndpointRegistry.Match> match = registry.find(request);
        assertFalse(match.isPresent(), () -> request + " matched " + match.get().config().getPath());
    }

    // ---- precedence (3.1.1) --------------------------------------------------------------------

    @Test
    void literalSegmentsBeatVariablesFromTheLeft() {
        ServerEndpointConfig ab = add(A.class, "/a/b");
        ServerEndpointConfig aVar = add(B.class, "/a/{var}");
        ServerEndpointConfig varB = add(C.class, "/{var1}/b");
        ServerEndpointConfig varVar = add(D.class, "/{var1}/{var2}");

        assertFinds(ab, "/a/b", Map.of());
        assertFinds(aVar, "/a/c", Map.of("var", "c"));
        assertFinds(varB, "/x/b", Map.of("var1", "x"));
        assertFinds(varVar, "/x/y", Map.of("var1", "x", "var2", "y"));
        assertNoMatch("/a/b/c");
        assertNoMatch("/a");
        assertNoMatch("/a/b/");
    }

    @Test
    void exactMatchPreferredOverTemplate() {
        // 3.1.1: "/a/b" against endpoint A "/a/b" and endpoint B "/a/{customer-name}".
        ServerEndpointConfig exact = add(A.class, "/a/b");
        ServerEndpointConfig template = add(B.class, "/a/{customer-name}");
        assertFinds(exact, "/a/b", Map.of());
        assertFinds(template, "/a/c", Map.of("customer-name", "c"));
    }

    @Test
    void specificationExampleThree() {
        // 3.1.1 (iii).
        ServerEndpointConfig a = add(A.class, "/a/{var}/c");
        ServerEndpointConfig b = add(B.class, "/a/b/c");
        ServerEndpointConfig c = add(C.class, "/a/{var1}/{var2}");
        assertFinds(b, "/a/b/c", Map.of());
        assertFinds(a, "/a/d/c", Map.of("var", "d"));
        assertFinds(c, "/a/x/y", Map.of("var1", "x", "var2", "y"));
        // The example writes "a/x/y/"; with a trailing '/' that is four segments and, as examples
        // (i) and (ii) require, matches none of the three-segment paths.
        assertNoMatch("/a/x/y/");
    }

    @Test
    void specificationExampleFour() {
        // 3.1.1 (iv): the matching works from left to right.
        add(A.class, "/{var1}/d");
        ServerEndpointConfig b = add(B.class, "/b/{var2}");
        assertFinds(b, "/b/d", Map.of("var2", "d"));
    }

    @Test
    void everyMixOfLiteralsAndVariablesOverThreeSegments() {
        // All eight paths over the segments a, c, d; each request has the literal value exactly
        // where one of the paths has its literals, and must find that path.
        String[] literals = {"a", "c", "d"};
        Class<?>[] classes = {A.class, B.class, C.class, D.class, A.class, B.class, C.class, D.class};
        Map<Integer, ServerEndpointConfig> byMask = new HashMap<>();
        for (int mask = 0; mask < 8; mask++) {
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                path.append('/').append((mask & (1 << i)) != 0 ? literals[i] : "{" + literals[i] + "}");
            }
            byMask.put(mask, add(classes[mask], path.toString()));
        }
        for (int mask = 0; mask < 8; mask++) {
            StringBuilder request = new StringBuilder();
            Map<String, String> parameters = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                if ((mask & (1 << i)) != 0) {
                    request.append('/').append(literals[i]);
                } else {
                    request.append("/v").append(i);
                    parameters.put(literals[i], "v" + i);
                }
            }
            assertFinds(byMask.get(mask), request.toString(), parameters);
        }
        assertNoMatch("/a/c/d/e");
        assertNoMatch("/a/c");
    }

    @Test
    void backsUpWhenTheLiteralBranchDeadEnds() {
        // Left-to-right elimination keeps only "/a/b/c" after the first segment and then fails;
        // "/a/b/d" is nonetheless a valid expansion of "/{x}/b/d" (see the class documentation).
        add(A.class, "/a/b/c");
        ServerEndpointConfig template = add(B.class, "/{x}/b/d");
        assertFinds(template, "/a/b/d", Map.of("x", "a"));
    }

    @Test
    void rootAndTrailingSlashPaths() {
        ServerEndpointConfig root = add(A.class, "/");
        ServerEndpointConfig ab = add(B.class, "/a/b");
        ServerEndpointConfig abSlash = add(C.class, "/a/b/");
        assertFinds(root, "/", Map.of());
        assertFinds(ab, "/a/b", Map.of());
        assertFinds(abSlash, "/a/b/", Map.of());
        assertNoMatch("/a");
    }

    @Test
    void queryStringIsIgnoredAndValuesDecoded() {
        ServerEndpointConfig rooms = add(A.class, "/rooms/{room}");
        assertFinds(rooms, "/rooms/caf%C3%A9?user=x&from=/rooms/b", Map.of("room", "café"));
        assertFinds(rooms, "/rooms/a%2Fb", Map.of("room", "a/b"));
        assertNoMatch("/rooms/%zz");
        assertNoMatch("rooms/x");
        assertNoMatch(null);
    }

    @Test
    void emptyRegistryMatchesNothing() {
        assertTrue(registry.isEmpty());
        assertNoMatch("/");
        assertNoMatch("/a");
    }

    @Test
    void pathsLongerThanAnyEndpointAreRejectedAtOnce() {
        add(A.class, "/{a}/{b}");
        assertNoMatch("/x".repeat(100_000));
    }

    // ---- duplicates (WSC-3.1.1-2, WSC-4.1.1-4) -------------------------------------------------

    @Test
    void rejectsTheSamePathTwice() {
        add(A.class, "/chat");
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> registry.register(ServerEndpointConfig.Builder.create(B.class, "/chat").build()));
        assertNamesBoth(e, "/chat", "/chat");
    }

    @Test
    void rejectsEquivalentTemplatesWhateverTheVariableNames() {
        add(A.class, "/a/{x}");
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> registry.register(ServerEndpointConfig.Builder.create(B.class, "/a/{y}").build()));
        assertNamesBoth(e, "/a/{x}", "/a/{y}");
        assertTrue(e.getMessage().contains("equivalent"), e.getMessage());

        add(C.class, "/{p}/{q}/z");
        assertThrows(DeploymentException.class,
                () -> registry.register(ServerEndpointConfig.Builder.create(D.class, "/{q}/{p}/z").build()));
    }

    @Test
    void rejectsTheSameRelativeUriSpelledDifferently() {
        add(A.class, "/a/b");
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> registry.register(ServerEndpointConfig.Builder.create(B.class, "/a/%62").build()));
        assertNamesBoth(e, "/a/b", "/a/%62");
    }

    private static void assertNamesBoth(DeploymentException e, String existingPath, String addedPath) {
        String message = e.getMessage();
        assertTrue(message.contains(A.class.getName()), message);
        assertTrue(message.contains(B.class.getName()), message);
        assertTrue(message.contains("\"" + existingPath + "\""), message);
        assertTrue(message.contains("\"" + addedPath + "\""), message);
    }

    @Test
    void acceptsPathsThatOnlyOverlap() {
        add(A.class, "/a/b");
        add(B.class, "/a/{x}");
        add(C.class, "/{x}/b");
        add(D.class, "/a/b/");
        add(A.class, "/a/{x}/");
        add(B.class, "/a");
        assertEquals(6, registry.size());
    }

    @Test
    void failedRegistrationLeavesTheRegistryUnchanged() {
        ServerEndpointConfig first = add(A.class, "/a/{x}");
        assertThrows(DeploymentException.class,
                () -> registry.register(ServerEndpointConfig.Builder.create(B.class, "/a/{y}").build()));
        assertThrows(DeploymentException.class,
                () -> registry.register(ServerEndpointConfig.Builder.create(B.class, "/a/{y}/{y}").build()));
        assertEquals(List.of(first), registry.configs());
        assertFinds(first, "/a/1", Map.of("x", "1"));
        assertNoMatch("/a/1/2");
    }

    @Test
    void rejectsMalformedPaths() {
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> registry.register(ServerEndpointConfig.Builder.create(A.class, "/a//b").build()));
        assertTrue(e.getMessage().contains("\"/a//b\""), e.getMessage());
        assertTrue(registry.isEmpty());
    }

    @Test
    void configsInRegistrationOrder() {
        ServerEndpointConfig one = add(A.class, "/one");
        ServerEndpointConfig two = add(B.class, "/{two}");
        ServerEndpointConfig three = add(C.class, "/three/{x}");
        assertEquals(List.of(one, two, three), registry.configs());
        assertThrows(UnsupportedOperationException.class, () -> registry.configs().clear());
    }

    // ---- concurrency ---------------------------------------------------------------------------

    @Test
    void lookupsWhileEndpointsAreAdded() throws Exception {
        ServerEndpointConfig fixed = add(A.class, "/fixed/{id}");
        // One configurator for all: without one, every build() runs the ServiceLoader.
        ServerEndpointConfig.Configurator configurator = new DefaultServerEndpointConfigurator();
        int added = 500;
        int readers = 3;
        ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<Integer>> lookups = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                lookups.add(pool.submit(() -> {
                    start.await();
                    int seen = 0;
                    int round = 0;
                    while (writing.get() || round < 10) {
                        round++;
                        EndpointRegistry.Match match = registry.find("/fixed/42").orElseThrow();
                        assertSame(fixed, match.config());
                        assertEquals(Map.of("id", "42"), match.pathParameters());
                        for (int k = 0; k < added; k += 37) {
                            Optional<EndpointRegistry.Match> dynamic = registry.find("/dyn/" + k + "/x");
                            if (dynamic.isPresent()) {
                                assertEquals("/dyn/" + k + "/{v" + k + "}", dynamic.get().template().path());
                                assertEquals(Map.of("v" + k, "x"), dynamic.get().pathParameters());
                                seen++;
                            }
                        }
                    }
                    return seen;
                }));
            }
            Future<?> writer = pool.submit(() -> {
                start.await();
                for (int k = 0; k < added; k++) {
                    registry.register(ServerEndpointConfig.Builder.create(B.class, "/dyn/" + k + "/{v" + k + "}")
                            .configurator(configurator).build());
                }
                return null;
            });
            start.countDown();
            try {
                writer.get(60, TimeUnit.SECONDS);
            } finally {
                writing.set(false);
            }
            for (Future<Integer> lookup : lookups) {
                lookup.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                fail("readers did not stop");
            }
        }
        assertEquals(added + 1, registry.size());
        for (int k = 0; k < added; k++) {
            assertEquals(Map.of("v" + k, "y"), registry.find("/dyn/" + k + "/y").orElseThrow().pathParameters());
        }
    }
}
