package io.breakwater.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.api.CallbackThreads;
import io.breakwater.api.SessionSettings;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Extension;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BreakwaterServerContainerTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final BreakwaterServerContainer container =
            new BreakwaterServerContainer(SessionSettings.defaults(CallbackThreads.unlimited(Runnable::run), timers));

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @ServerEndpoint("/bad")
    public static class TwoTextParameters {
        @OnMessage
        public void both(String first, String second) {
        }
    }

    @ServerEndpoint("/plain/{x}")
    public static class PlainX {
        @OnMessage
        public String echo(String text) {
            return text;
        }
    }

    @ServerEndpoint("/plain/{y}")
    public static class PlainY {
        @OnMessage
        public String echo(String text) {
            return text;
        }
    }

    @Test
    void invalidAnnotatedEndpointIsRefusedAtOnceNamingClassAndMethod() {
        DeploymentException refused = assertThrows(DeploymentException.class,
                () -> container.addEndpoint(TwoTextParameters.class));
        assertTrue(refused.getMessage().contains(TwoTextParameters.class.getName()), refused.getMessage());
        assertTrue(refused.getMessage().contains("both"), refused.getMessage());
        assertTrue(container.find("/bad").isEmpty());
    }

    @Test
    void invalidAnnotatedClassInAProgrammaticConfigIsRefused() {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(TwoTextParameters.class, "/bad2").build();
        assertThrows(DeploymentException.class, () -> container.addEndpoint(config));
    }

    @Test
    void classWithoutServerEndpointIsRefused() {
        DeploymentException refused = assertThrows(DeploymentException.class,
                () -> container.addEndpoint(TestEndpoints.NotAnnotated.class));
        assertTrue(refused.getMessage().contains("@ServerEndpoint"), refused.getMessage());
    }

    @Test
    void equivalentPathsAreRefused() throws Exception {
        container.addEndpoint(PlainX.class);
        DeploymentException refused = assertThrows(DeploymentException.class, () -> container.addEndpoint(PlainY.class));
        assertTrue(refused.getMessage().contains(PlainY.class.getName()), refused.getMessage());

        BreakwaterServerContainer another = new BreakwaterServerContainer(SessionSettings.defaults(CallbackThreads.unlimited(Runnable::run), timers));
        another.addEndpoint(PlainX.class);
        refused = assertThrows(DeploymentException.class, () -> another.addEndpoint(
                ServerEndpointConfig.Builder.create(TestEndpoints.A.class, "/plain/{z}").build()));
        assertTrue(refused.getMessage().contains("equivalent"), refused.getMessage());
    }

    @Test
    void aDeploymentErrorTakesEveryEndpointOutOfServiceAndRefusesLaterOnes() throws Exception {
        container.addEndpoint(PlainX.class);
        assertTrue(container.find("/plain/1").isPresent());

        DeploymentException first = assertThrows(DeploymentException.class,
                () -> container.addEndpoint(TwoTextParameters.class));

        // WSC-5.2.1-3: endpoints deployed before the error are removed from service ...
        assertTrue(container.find("/plain/1").isEmpty());
        assertTrue(container.endpointConfigs().isEmpty());
        // ... and no more may be deployed, even valid ones.
        DeploymentException later = assertThrows(DeploymentException.class,
                () -> container.addEndpoint(ServerEndpointConfig.Builder.create(TestEndpoints.A.class, "/a").build()));
        assertSame(first, later.getCause());
        assertTrue(later.getMessage().contains("halted"), later.getMessage());
        assertTrue(container.find("/a").isEmpty());
    }

    @Test
    void sameAnnotatedClassTwiceIsIgnored() throws Exception {
        container.addEndpoint(PlainX.class);
        container.addEndpoint(PlainX.class);
        assertEquals(1, container.endpointConfigs().size());
        assertEquals(Map.of("x", "7"), container.find("/plain/7").orElseThrow().pathParameters());
    }

    @Test
    void programmaticEndpointIsDeployed() throws Exception {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(TestEndpoints.A.class, "/a").build();
        container.addEndpoint(config);
        assertSame(config, container.find("/a").orElseThrow().config());
    }

    @Test
    void installedExtensionsListDeflateAndPassThroughNames() {
        container.installExtension("ext1");
        container.installExtension("ext2");
        container.installExtension("ext1");
        List<String> names = container.getInstalledExtensions().stream().map(Extension::getName).toList();
        assertEquals(List.of("permessage-deflate", "ext1", "ext2"), names);
    }

    @Test
    void containerDefaultsReachSessionSettings() {
        container.setAsyncSendTimeout(1234);
        container.setDefaultMaxSessionIdleTimeout(5678);
        container.setDefaultMaxTextMessageBufferSize(111);
        container.setDefaultMaxBinaryMessageBufferSize(222);
        SessionSettings settings = container.sessionSettings();
        assertEquals(1234, settings.sendTimeoutMillis());
        assertEquals(5678, settings.maxIdleTimeoutMillis());
        assertEquals(111, settings.maxTextMessageBuffer());
        assertEquals(222, settings.maxBinaryMessageBuffer());
    }

    @Test
    void upgradeWithoutAServletContainerIsADeploymentException() {
        DeploymentException refused = assertThrows(DeploymentException.class, () -> container.upgradeHttpToWebSocket(
                new Object(), new Object(), ServerEndpointConfig.Builder.create(TestEndpoints.A.class, "/a").build(),
                Map.of()));
        assertTrue(refused.getMessage().contains("servlet container"), refused.getMessage());
    }

    @Test
    void upgradeIsDelegatedToTheInstalledUpgrader() throws Exception {
        Object[] seen = new Object[1];
        container.setUpgrader((request, response, config, parameters) -> seen[0] = request);
        Object request = new Object();
        container.upgradeHttpToWebSocket(request, new Object(),
                ServerEndpointConfig.Builder.create(TestEndpoints.A.class, "/a").build(), Map.of());
        assertSame(request, seen[0]);
    }

    @Test
    void groupsArePerEndpointConfig() throws Exception {
        ServerEndpointConfig a = ServerEndpointConfig.Builder.create(TestEndpoints.A.class, "/a").build();
        ServerEndpointConfig b = ServerEndpointConfig.Builder.create(TestEndpoints.B.class, "/b").build();
        container.addEndpoint(a);
        container.addEndpoint(b);
        assertSame(container.group(a), container.group(a));
        assertNotSame(container.group(a), container.group(b));
    }
}
