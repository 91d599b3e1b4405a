package io.breakwater.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.server.TestEndpoints.A;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DefaultServerEndpointConfiguratorTest {

    private final DefaultServerEndpointConfigurator configurator = new DefaultServerEndpointConfigurator();

    /** A minimal {@link Extension}: name and parameters as given. */
    private record TestExtension(String getName, List<Extension.Parameter> getParameters) implements Extension {
        TestExtension(String name) {
            this(name, List.of());
        }
    }

    private record TestParameter(String getName, String getValue) implements Extension.Parameter {
    }

    // ---- the service registration --------------------------------------------------------------

    @Test
    void theApiBaseClassReachesThisImplementationThroughTheServiceLoader() {
        // Every method of the API's Configurator but modifyHandshake delegates to the container
        // default, which it loads from META-INF/services.
        ServerEndpointConfig.Configurator base = new ServerEndpointConfig.Configurator();
        assertTrue(base.checkOrigin("http://any.example"));
        assertInstanceOf(DefaultServerEndpointConfigurator.class, base.getContainerDefaultConfigurator());
        assertEquals("b", base.getNegotiatedSubprotocol(List.of("a", "b"), List.of("b", "a")));
        assertEquals("", base.getNegotiatedSubprotocol(List.of("a"), List.of("c")));
    }

    @Test
    void theBaseClassDefaultInstantiationIsOurs() throws InstantiationException {
        ServerEndpointConfig.Configurator base = new ServerEndpointConfig.Configurator();
        assertInstanceOf(A.class, base.getEndpointInstance(A.class));
    }

    @Test
    void builderWithoutConfiguratorGetsThisImplementation() {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(A.class, "/a").build();
        assertInstanceOf(DefaultServerEndpointConfigurator.class, config.getConfigurator());
    }

    @Test
    void serviceLoaderFindsIt() {
        ServerEndpointConfig.Configurator loaded = ServiceLoader.load(ServerEndpointConfig.Configurator.class)
                .findFirst().orElseThrow();
        assertEquals(DefaultServerEndpointConfigurator.class, loaded.getClass());
    }

    @Test
    void overridesEveryPublicMethodSoNothingDelegatesBack() throws NoSuchMethodException {
        List<String> inherited = new ArrayList<>();
        for (Method method : ServerEndpointConfig.Configurator.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Method ours = DefaultServerEndpointConfigurator.class.getMethod(method.getName(), method.getParameterTypes());
            if (ours.getDeclaringClass() != DefaultServerEndpointConfigurator.class) {
                inherited.add(method.getName());
            }
        }
        assertEquals(List.of(), inherited);
    }

    @Test
    void isItsOwnContainerDefault() {
        assertSame(configurator, configurator.getContainerDefaultConfigurator());
    }

    // ---- origin (3.1.4) ------------------------------------------------------------------------

    @Test
    void acceptsEveryOriginAndNone() {
        assertTrue(configurator.checkOrigin("http://example.com"));
        assertTrue(configurator.checkOrigin("null"));
        assertTrue(configurator.checkOrigin(""));
        assertTrue(configurator.checkOrigin(null));
    }

    // ---- subprotocols (3.1.2) ------------------------------------------------------------------

    @Test
    void firstRequestedSubprotocolThatIsSupported() {
        assertEquals("superchat", configurator.getNegotiatedSubprotocol(
                List.of("chat", "superchat"), List.of("superchat", "chat")));
        assertEquals("chat", configurator.getNegotiatedSubprotocol(
                List.of("chat", "superchat"), List.of("other", "chat", "superchat")));
    }

    @Test
    void emptyStringWhenNoSubprotocolIsShared() {
        assertEquals("", configurator.getNegotiatedSubprotocol(List.of("chat"), List.of("other")));
        assertEquals("", configurator.getNegotiatedSubprotocol(List.of(), List.of("chat")));
        assertEquals("", configurator.getNegotiatedSubprotocol(List.of("chat"), List.of()));
        assertEquals("", configurator.getNegotiatedSubprotocol(null, null));
    }

    @Test
    void subprotocolsCompareExactly() {
        assertEquals("", configurator.getNegotiatedSubprotocol(List.of("chat"), List.of("Chat")));
    }

    // ---- extensions (3.1.3) --------------------------------------------------------------------

    @Test
    void requestedExtensionsThatAreInstalledInTheClientsOrder() {
        Extension deflateOffer = new TestExtension("permessage-deflate",
                List.of(new TestParameter("client_max_window_bits", null)));
        Extension fooOffer = new TestExtension("x-foo", List.of(new TestParameter("level", "3")));
        Extension barOffer = new TestExtension("x-bar");
        List<Extension> installed = List.of(new TestExtension("permessage-deflate"), new TestExtension("x-foo"));

        List<Extension> negotiated = configurator.getNegotiatedExtensions(installed,
                List.of(fooOffer, barOffer, deflateOffer));

        assertEquals(2, negotiated.size());
        assertSame(fooOffer, negotiated.get(0));
        assertSame(deflateOffer, negotiated.get(1));
    }

    @Test
    void everyOfferOfAnInstalledExtensionIsKept() {
        Extension first = new TestExtension("permessage-deflate",
                List.of(new TestParameter("server_max_window_bits", "10")));
        Extension fallback = new TestExtension("permessage-deflate");
        List<Extension> negotiated = configurator.getNegotiatedExtensions(
                List.of(new TestExtension("permessage-deflate")), List.of(first, fallback));
        assertEquals(List.of(first, fallback), negotiated);
    }

    @Test
    void extensionNamesCompareAsciiCaseInsensitively() {
        Extension offer = new TestExtension("PerMessage-Deflate");
        assertEquals(List.of(offer), configurator.getNegotiatedExtensions(
                List.of(new TestExtension("permessage-deflate")), List.of(offer)));
    }

    @Test
    void emptyListWhenNoExtensionIsShared() {
        assertEquals(List.of(), configurator.getNegotiatedExtensions(
                List.of(new TestExtension("x-foo")), List.of(new TestExtension("x-bar"))));
        assertEquals(List.of(), configurator.getNegotiatedExtensions(List.of(), List.of(new TestExtension("x"))));
        assertEquals(List.of(), configurator.getNegotiatedExtensions(List.of(new TestExtension("x")), List.of()));
        assertEquals(List.of(), configurator.getNegotiatedExtensions(null, null));
    }

    // ---- handshake (3.1.5) ---------------------------------------------------------------------

    @Test
    void modifyHandshakeDoesNothing() {
        configurator.modifyHandshake(null, null, null);
    }

    // ---- endpoint instances (3.1.7) ------------------------------------------------------------

    @Test
    void aNewInstanceEachCall() throws InstantiationException {
        A first = configurator.getEndpointInstance(A.class);
        A second = configurator.getEndpointInstance(A.class);
        assertInstanceOf(A.class, first);
        assertNotSame(first, second);
    }

    @Test
    void abstractClassOrInterfaceCannotBeInstantiated() {
        InstantiationException e = assertThrows(InstantiationException.class,
                () -> configurator.getEndpointInstance(TestEndpoints.Abstract.class));
        assertTrue(e.getMessage().contains(TestEndpoints.Abstract.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("not a concrete class"), e.getMessage());
        assertThrows(InstantiationException.class, () -> configurator.getEndpointInstance(TestEndpoints.Interface.class));
        assertThrows(InstantiationException.class, () -> configurator.getEndpointInstance(Runnable.class));
    }

    @Test
    void classWithoutPublicNoArgConstructor() {
        InstantiationException e = assertThrows(InstantiationException.class,
                () -> configurator.getEndpointInstance(TestEndpoints.NoNoArgConstructorDefaultConfigurator.class));
        assertTrue(e.getMessage().contains("no public no-argument constructor"), e.getMessage());
        assertInstanceOf(NoSuchMethodException.class, e.getCause());
        assertThrows(InstantiationException.class,
                () -> configurator.getEndpointInstance(TestEndpoints.PrivateConstructor.class));
    }

    @Test
    void constructorFailureIsTheCause() {
        InstantiationException e = assertThrows(InstantiationException.class,
                () -> configurator.getEndpointInstance(TestEndpoints.ThrowingConstructor.class));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("endpoint boom", e.getCause().getMessage());
        assertTrue(e.getMessage().contains(TestEndpoints.ThrowingConstructor.class.getName()), e.getMessage());
    }

    @Test
    void nonPublicClassIsNotInstantiated() {
        // The class is package-private; the configurator lives in the same package, so reflection
        // would allow the call: the rule that the class be public is enforced explicitly.
        InstantiationException e = assertThrows(InstantiationException.class,
                () -> configurator.getEndpointInstance(TestEndpoints.PackagePrivateEndpoint.class));
        assertTrue(e.getMessage().contains(TestEndpoints.PackagePrivateEndpoint.class.getName()), e.getMessage());
    }
}
