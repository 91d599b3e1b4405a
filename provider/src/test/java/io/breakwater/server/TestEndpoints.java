package io.breakwater.server;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

/** Endpoint, configurator and coder classes for the tests of this package. */
public final class TestEndpoints {

    private TestEndpoints() {
    }

    // ---- plain classes for the registry ---------------------------------------------------------

    public static class A extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
        }
    }

    public static class B extends A {
    }

    public static class C extends A {
    }

    public static class D extends A {
    }

    // ---- coders ----------------------------------------------------------------------------------

    public static class TextEncoder implements Encoder.Text<String> {
        @Override
        public String encode(String object) throws EncodeException {
            return object;
        }
    }

    public static class TextDecoder implements Decoder.Text<String> {
        @Override
        public String decode(String s) throws DecodeException {
            return s;
        }

        @Override
        public boolean willDecode(String s) {
            return true;
        }
    }

    public static class EncoderWithoutNoArgConstructor implements Encoder.Text<String> {
        public EncoderWithoutNoArgConstructor(String prefix) {
        }

        @Override
        public String encode(String object) {
            return object;
        }
    }

    public abstract static class AbstractDecoder implements Decoder.Text<String> {
    }

    // ---- configurators ---------------------------------------------------------------------------

    public static class CustomConfigurator extends ServerEndpointConfig.Configurator {
        @Override
        public boolean checkOrigin(String originHeaderValue) {
            return "https://trusted.example".equals(originHeaderValue);
        }
    }

    /** Makes endpoint instances itself, so the endpoint class needs no public no-arg constructor. */
    public static class FactoryConfigurator extends ServerEndpointConfig.Configurator {
        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(new NoNoArgConstructor("made by the configurator"));
        }
    }

    public abstract static class AbstractConfigurator extends ServerEndpointConfig.Configurator {
    }

    public static class ConfiguratorWithoutNoArgConstructor extends ServerEndpointConfig.Configurator {
        public ConfiguratorWithoutNoArgConstructor(int state) {
        }
    }

    public static class ThrowingConfigurator extends ServerEndpointConfig.Configurator {
        public ThrowingConfigurator() {
            throw new IllegalStateException("configurator boom");
        }
    }

    static class NonPublicConfigurator extends ServerEndpointConfig.Configurator {
    }

    // ---- annotated endpoints ---------------------------------------------------------------------

    @ServerEndpoint(value = "/chat/{room}", subprotocols = {"v2.chat", "v1.chat"},
            encoders = TextEncoder.class, decoders = TextDecoder.class)
    public static class Chat {
    }

    @ServerEndpoint("/plain")
    public static class Plain {
    }

    /** Not an endpoint: class-level annotations are not inherited (4.8). */
    public static class PlainSubclass extends Plain {
    }

    public static class NotAnnotated {
    }

    @ServerEndpoint(value = "/custom", configurator = CustomConfigurator.class)
    public static class Custom {
    }

    @ServerEndpoint(value = "/factory", configurator = FactoryConfigurator.class)
    public static class NoNoArgConstructor {
        public NoNoArgConstructor(String origin) {
        }
    }

    @ServerEndpoint(value = "/custom-no-factory", configurator = CustomConfigurator.class)
    public static class NoNoArgConstructorCustomConfigurator {
        public NoNoArgConstructorCustomConfigurator(String origin) {
        }
    }

    @ServerEndpoint("/no-constructor")
    public static class NoNoArgConstructorDefaultConfigurator {
        public NoNoArgConstructorDefaultConfigurator(String origin) {
        }
    }

    @ServerEndpoint("/private-constructor")
    public static class PrivateConstructor {
        private PrivateConstructor() {
        }
    }

    @ServerEndpoint("/not-public")
    static class NotPublic {
        public NotPublic() {
        }
    }

    @ServerEndpoint("/abstract")
    public abstract static class Abstract {
    }

    @ServerEndpoint("/interface")
    public interface Interface {
    }

    @ServerEndpoint("/inner")
    public class Inner {
    }

    @ServerEndpoint("/a/{x}/b{y}")
    public static class BadPath {
    }

    @ServerEndpoint(value = "/c1", configurator = AbstractConfigurator.class)
    public static class WithAbstractConfigurator {
    }

    @ServerEndpoint(value = "/c2", configurator = ConfiguratorWithoutNoArgConstructor.class)
    public static class WithConfiguratorWithoutNoArgConstructor {
    }

    @ServerEndpoint(value = "/c3", configurator = ThrowingConfigurator.class)
    public static class WithThrowingConfigurator {
    }

    @ServerEndpoint(value = "/c4", configurator = NonPublicConfigurator.class)
    public static class WithNonPublicConfigurator {
    }

    @ServerEndpoint(value = "/e1", encoders = EncoderWithoutNoArgConstructor.class)
    public static class WithBadEncoder {
    }

    @ServerEndpoint(value = "/e2", decoders = AbstractDecoder.class)
    public static class WithAbstractDecoder {
    }

    // ---- for getEndpointInstance -----------------------------------------------------------------

    public static class ThrowingConstructor {
        public ThrowingConstructor() {
            throw new IllegalStateException("endpoint boom");
        }
    }

    static class PackagePrivateEndpoint {
        public PackagePrivateEndpoint() {
        }
    }
}
