package io.breakwater.server;

import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The platform default {@link ServerEndpointConfig.Configurator} of Breakwater (Jakarta WebSocket
 * 3.1.2 to 3.1.7).
 *
 * <p>It is registered in {@code META-INF/services/jakarta.websocket.server.ServerEndpointConfig$Configurator},
 * where the API's base class finds it: every method of {@code ServerEndpointConfig.Configurator}
 * except {@code modifyHandshake} delegates to the container default. This class therefore
 * overrides every one of them with the real behaviour and never calls the base class, which would
 * loop back here.
 */
public class DefaultServerEndpointConfigurator extends ServerEndpointConfig.Configurator {

    /** Creates the default configurator; the service loader and the container call this. */
    public DefaultServerEndpointConfigurator() {
    }

    /** This configurator is itself the container default. */
    @Override
    public ServerEndpointConfig.Configurator getContainerDefaultConfigurator() {
        return this;
    }

    /**
     * The first subprotocol in the client's list that the server supports, or {@code ""} if there
     * is none (WSC-3.1.2-1; the API documentation of this method fixes the client's order).
     * Subprotocol names are compared exactly.
     *
     * @param supported the server endpoint's subprotocols, in its order of preference
     * @param requested the subprotocols the client asked for, in its order
     */
    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        if (supported == null || requested == null) {
            return "";
        }
        for (String candidate : requested) {
            if (candidate != null && supported.contains(candidate)) {
                return candidate;
            }
        }
        return "";
    }

    /**
     * The requested extensions whose names are installed, in the client's order (WSC-3.1.3-1): the
     * elements of {@code requested} themselves, with the parameters the client offered, since the
     * specification has the configurator select "from those extensions" the client supplied. An
     * extension the client offered more than once (alternative parameter sets, RFC 6455 §9.1) is
     * returned once per offer; settling the parameters is the extension's own negotiation. Names are
     * compared ASCII case-insensitively, as the rest of Breakwater compares extension tokens.
     *
     * @param installed the union of the endpoint's extensions and the container's installed ones
     * @param requested the client's extensions, in the order it requested them
     * @return a new list, empty if none is supported
     */
    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        List<Extension> negotiated = new ArrayList<>();
        if (installed == null || requested == null) {
            return negotiated;
        }
        for (Extension offer : requested) {
            if (offer != null && offer.getName() != null && isInstalled(installed, offer.getName())) {
                negotiated.add(offer);
            }
        }
        return negotiated;
    }

    private static boolean isInstalled(List<Extension> installed, String name) {
        for (Extension extension : installed) {
            if (extension != null && extension.getName() != null && equalsIgnoreAsciiCase(extension.getName(), name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsIgnoreAsciiCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && (lower(x) != lower(y))) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /**
     * Accepts every origin, and a missing {@code Origin} header ({@code null}) too. 3.1.4 asks the
     * default to fail the handshake "if the hostname cannot be verified"; without an application
     * list of trusted origins there is nothing to verify a hostname against, and non-browser clients
     * send no {@code Origin} at all (RFC 6455 §4.2.2, §10.2). Applications that need the check
     * override this method.
     */
    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return true;
    }

    /** Makes no change to the handshake (WSC-3.1.5-1). */
    @Override
    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
        // The default makes no modification.
    }

    /**
     * A new instance for every call, made with the class's public no-argument constructor
     * (WSC-3.1.7-2).
     *
     * @throws InstantiationException if the class is not public and concrete, lacks a public
     *     no-argument constructor, or its constructor throws; the message names the class and the
     *     reason, and the cause is kept
     */
    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        Objects.requireNonNull(endpointClass, "endpointClass");
        int modifiers = endpointClass.getModifiers();
        if (endpointClass.isInterface() || Modifier.isAbstract(modifiers) || endpointClass.isPrimitive()
                || endpointClass.isArray() || endpointClass.isEnum()) {
            throw instantiationFailure(endpointClass, "it is not a concrete class", null);
        }
        if (!Modifier.isPublic(modifiers)) {
            // 4.1: the class must be public. Checked here because reflection alone would let this
            // package reach a package-private class of its own.
            throw instantiationFailure(endpointClass, "it is not public", null);
        }
        try {
            return endpointClass.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw instantiationFailure(endpointClass, "it has no public no-argument constructor", e);
        } catch (IllegalAccessException e) {
            throw instantiationFailure(endpointClass, "its constructor is not accessible (is the class public?)", e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw instantiationFailure(endpointClass, "its constructor threw " + cause, cause);
        } catch (ReflectiveOperationException | RuntimeException | ExceptionInInitializerError e) {
            throw instantiationFailure(endpointClass, e.toString(), e);
        }
    }

    private static InstantiationException instantiationFailure(Class<?> type, String reason, Throwable cause) {
        InstantiationException failure = new InstantiationException(
                "Cannot create an instance of endpoint " + type.getName() + ": " + reason);
        if (cause != null) {
            failure.initCause(cause);
        }
        return failure;
    }
}
