package io.breakwater.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.server.TestEndpoints.A;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerEndpointConfigsTest {

    private static ServerEndpointConfig build(Class<?> endpointClass) {
        try {
            return ServerEndpointConfigs.fromAnnotatedClass(endpointClass);
        } catch (DeploymentException e) {
            throw new AssertionError(e);
        }
    }

    private static DeploymentException rejected(Class<?> endpointClass) {
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> ServerEndpointConfigs.fromAnnotatedClass(endpointClass));
        assertTrue(e.getMessage().contains(endpointClass.getName()), () -> "names the class: " + e.getMessage());
        return e;
    }

    private static void assertMentions(DeploymentException e, String text) {
        assertTrue(e.getMessage().contains(text), () -> "mentions '" + text + "': " + e.getMessage());
    }

    // ---- from annotated classes ----------------------------------------------------------------

    @Test
    void takesEverythingFromTheAnnotation() {
        ServerEndpointConfig config = build(TestEndpoints.Chat.class);
        assertEquals(TestEndpoints.Chat.class, config.getEndpointClass());
        assertEquals("/chat/{room}", config.getPath());
        assertEquals(List.of("v2.chat", "v1.chat"), config.getSubprotocols());
        assertEquals(List.of(TestEndpoints.TextEncoder.class), config.getEncoders());
        assertEquals(List.of(TestEndpoints.TextDecoder.class), config.getDecoders());
        assertEquals(List.of(), config.getExtensions());
        assertInstanceOf(DefaultServerEndpointConfigurator.class, config.getConfigurator());
        assertTrue(config.getUserProperties().isEmpty());
        config.getUserProperties().put("k", "v");
    }

    @Test
    void defaultsWhenTheAnnotationGivesOnlyAPath() {
        ServerEndpointConfig config = build(TestEndpoints.Plain.class);
        assertEquals("/plain", config.getPath());
        assertEquals(List.of(), config.getSubprotocols());
        assertEquals(List.of(), config.getEncoders());
        assertEquals(List.of(), config.getDecoders());
        assertEquals(DefaultServerEndpointConfigurator.class, config.getConfigurator().getClass());
    }

    @Test
    void aNewConfiguratorPerLogicalEndpoint() {
        assertNotSame(build(TestEndpoints.Plain.class).getConfigurator(), build(TestEndpoints.Plain.class).getConfigurator());
        assertNotSame(build(TestEndpoints.Custom.class).getConfigurator(), build(TestEndpoints.Custom.class).getConfigurator());
    }

    @Test
    void usesTheAnnotationsConfigurator() {
        ServerEndpointConfig.Configurator configurator = build(TestEndpoints.Custom.class).getConfigurator();
        assertInstanceOf(TestEndpoints.CustomConfigurator.class, configurator);
        assertFalse(configurator.checkOrigin("https://other.example"));
        // What the custom configurator does not override still reaches the container default.
        assertEquals("b", configurator.getNegotiatedSubprotocol(List.of("b"), List.of("a", "b")));
    }

    @Test
    void configuratorThatMakesInstancesLiftsTheConstructorRule() throws InstantiationException {
        ServerEndpointConfig config = build(TestEndpoints.NoNoArgConstructor.class);
        assertInstanceOf(TestEndpoints.NoNoArgConstructor.class,
                config.getConfigurator().getEndpointInstance(TestEndpoints.NoNoArgConstructor.class));
    }

    @Test
    void customConfiguratorWithDefaultInstantiationKeepsTheConstructorRule() {
        assertMentions(rejected(TestEndpoints.NoNoArgConstructorCustomConfigurator.class),
                "no public no-argument constructor");
    }

    @Test
    void rejectsAClassWithoutTheAnnotation() {
        assertMentions(rejected(TestEndpoints.NotAnnotated.class), "no @ServerEndpoint");
        assertMentions(rejected(TestEndpoints.PlainSubclass.class), "no @ServerEndpoint");
    }

    @Test
    void rejectsANonPublicClass() {
        assertMentions(rejected(TestEndpoints.NotPublic.class), "not public");
    }

    @Test
    void rejectsAbstractClassesAndInterfaces() {
        assertMentions(rejected(TestEndpoints.Abstract.class), "abstract");
        assertMentions(rejected(TestEndpoints.Interface.class), "interface");
    }

    @Test
    void rejectsAnInnerClass() {
        assertMentions(rejected(TestEndpoints.Inner.class), "inner class");
    }

    @Test
    void rejectsAClassWithoutPublicNoArgConstructor() {
        assertMentions(rejected(TestEndpoints.NoNoArgConstructorDefaultConfigurator.class),
                "no public no-argument constructor");
        assertMentions(rejected(TestEndpoints.PrivateConstructor.class), "no public no-argument constructor");
    }

    @Test
    void rejectsAMalformedPath() {
        DeploymentException e = rejected(TestEndpoints.BadPath.class);
        assertMentions(e, "\"/a/{x}/b{y}\"");
        assertMentions(e, "whole segment");
        assertInstanceOf(DeploymentException.class, e.getCause());
    }

    @Test
    void rejectsConfiguratorsThatCannotBeInstantiated() {
        DeploymentException e = rejected(TestEndpoints.WithAbstractConfigurator.class);
        assertMentions(e, TestEndpoints.AbstractConfigurator.class.getName());
        assertMentions(e, "abstract");

        e = rejected(TestEndpoints.WithConfiguratorWithoutNoArgConstructor.class);
        assertMentions(e, TestEndpoints.ConfiguratorWithoutNoArgConstructor.class.getName());
        assertMentions(e, "no public no-argument constructor");

        e = rejected(TestEndpoints.WithThrowingConfigurator.class);
        assertMentions(e, "configurator boom");
        assertInstanceOf(IllegalStateException.class, e.getCause());

        e = rejected(TestEndpoints.WithNonPublicConfigurator.class);
        assertMentions(e, TestEndpoints.NonPublicConfigurator.class.getName());
        assertMentions(e, "not public");
    }

    @Test
    void rejectsCodersThatCannotBeInstantiated() {
        DeploymentException e = rejected(TestEndpoints.WithBadEncoder.class);
        assertMentions(e, TestEndpoints.EncoderWithoutNoArgConstructor.class.getName());
        assertMentions(e, "encoder");

        e = rejected(TestEndpoints.WithAbstractDecoder.class);
        assertMentions(e, TestEndpoints.AbstractDecoder.class.getName());
        assertMentions(e, "decoder");
    }

    // ---- programmatic configurations -----------------------------------------------------------

    @Test
    void validatesAProgrammaticConfiguration() throws DeploymentException {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(A.class, "/p/{id}")
                .encoders(List.of(TestEndpoints.TextEncoder.class))
                .build();
        assertEquals(List.of("id"), ServerEndpointConfigs.validate(config).variableNames());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/p//q", "/p/{a}{b}", "/p/{x}/{x}"})
    void programmaticPathIsChecked(String path) {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(A.class, path).build();
        DeploymentException e = assertThrows(DeploymentException.class, () -> ServerEndpointConfigs.validate(config));
        assertMentions(e, A.class.getName());
        assertMentions(e, "\"" + path + "\"");
    }

    @Test
    void programmaticEndpointNeedsAConstructorOnlyForTheDefaultInstantiation() throws DeploymentException {
        Class<?> type = TestEndpoints.NoNoArgConstructor.class;
        ServerEndpointConfig plain = ServerEndpointConfig.Builder.create(type, "/x").build();
        assertMentions(assertThrows(DeploymentException.class, () -> ServerEndpointConfigs.validate(plain)),
                "no public no-argument constructor");

        ServerEndpointConfig withBaseConfigurator = ServerEndpointConfig.Builder.create(type, "/x")
                .configurator(new ServerEndpointConfig.Configurator()).build();
        assertThrows(DeploymentException.class, () -> ServerEndpointConfigs.validate(withBaseConfigurator));

        ServerEndpointConfig withFactory = ServerEndpointConfig.Builder.create(type, "/x")
                .configurator(new TestEndpoints.FactoryConfigurator()).build();
        ServerEndpointConfigs.validate(withFactory);
    }

    @Test
    void programmaticEndpointClassMustBePublicAndConcrete() {
        ServerEndpointConfig abstractClass = ServerEndpointConfig.Builder.create(TestEndpoints.Abstract.class, "/x").build();
        assertMentions(assertThrows(DeploymentException.class, () -> ServerEndpointConfigs.validate(abstractClass)),
                "abstract");
        ServerEndpointConfig nonPublic = ServerEndpointConfig.Builder.create(TestEndpoints.NotPublic.class, "/x").build();
        assertMentions(assertThrows(DeploymentException.class, () -> ServerEndpointConfigs.validate(nonPublic)),
                "not public");
    }

    @Test
    void programmaticCodersAreChecked() {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(A.class, "/x")
                .decoders(List.of(TestEndpoints.AbstractDecoder.class)).build();
        assertMentions(assertThrows(DeploymentException.class, () -> ServerEndpointConfigs.validate(config)),
                TestEndpoints.AbstractDecoder.class.getName());
    }

    @Test
    void defaultInstantiationDetection() {
        assertTrue(ServerEndpointConfigs.usesDefaultInstantiation(new DefaultServerEndpointConfigurator()));
        assertTrue(ServerEndpointConfigs.usesDefaultInstantiation(new ServerEndpointConfig.Configurator()));
        assertTrue(ServerEndpointConfigs.usesDefaultInstantiation(new TestEndpoints.CustomConfigurator()));
        assertFalse(ServerEndpointConfigs.usesDefaultInstantiation(new TestEndpoints.FactoryConfigurator()));
        assertSame(DefaultServerEndpointConfigurator.class, build(TestEndpoints.Plain.class).getConfigurator().getClass());
    }
}
