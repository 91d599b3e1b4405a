package io.breakwater.server;

import io.breakwater.api.BreakwaterSession;
import io.breakwater.api.HandshakeDetails;
import io.breakwater.api.Keepalive;
import io.breakwater.api.SessionGroup;
import io.breakwater.api.SessionSettings;
import io.breakwater.api.annotated.AnnotatedEndpointModel;
import io.breakwater.deflate.DeflateConfig;
import io.breakwater.deflate.DeflateNegotiation;
import io.breakwater.handshake.ExtensionSpec;
import io.breakwater.handshake.HttpHeaders;
import io.breakwater.handshake.HttpResponseHead;
import io.breakwater.handshake.ServerHandshake;
import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.Role;
import io.breakwater.transport.Transport;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server side of an opening handshake after the request was found valid and an endpoint matched:
 * the container's origin allow-list ({@link OriginPolicy}, when one is set), then the configurator's
 * decisions, in the order of Jakarta WebSocket 2.2 §3.1 — {@code checkOrigin}
 * (3.1.4), {@code getNegotiatedSubprotocol} (3.1.2), {@code getNegotiatedExtensions} (3.1.3),
 * {@code modifyHandshake} (3.1.5) on a per-connection copy of the configuration, and
 * {@code getEndpointInstance} (3.1.7). Independent of the transport: a server that writes HTTP itself
 * and a servlet integration both use it, and then open the session on their {@link Transport}.
 *
 * <p>Thread safety: {@link #decide} may be called from any number of threads at once.
 */
public final class ServerUpgrade {

    /** Header fields the handshake writes itself; a configurator's response headers of these names are dropped. */
    private static final List<String> HANDSHAKE_HEADERS = List.of("Upgrade", "Connection", "Sec-WebSocket-Accept",
            "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions");

    private final List<String> installedExtensions;
    private final DeflateConfig deflateConfig;
    private final OriginPolicy originPolicy;
    private final Map<ServerEndpointConfig, AnnotatedEndpointModel> models = new ConcurrentHashMap<>();

    /**
     * With no origin allow-list: every origin goes to the configurator's {@code checkOrigin}.
     *
     * @param installedExtensions names of the container's installed extensions; besides
     *     {@code permessage-deflate}, each is a pass-through extension that is answered by name only
     * @param deflateConfig the server's permessage-deflate preferences
     */
    public ServerUpgrade(List<String> installedExtensions, DeflateConfig deflateConfig) {
        this(installedExtensions, deflateConfig, OriginPolicy.acceptingAll());
    }

    /** As {@link #ServerUpgrade(List, DeflateConfig)}, refusing the origins {@code originPolicy} does not allow. */
    ServerUpgrade(List<String> installedExtensions, DeflateConfig deflateConfig, OriginPolicy originPolicy) {
        this.installedExtensions = List.copyOf(installedExtensions);
        this.deflateConfig = Objects.requireNonNull(deflateConfig, "deflateConfig");
        this.originPolicy = Objects.requireNonNull(originPolicy, "originPolicy");
    }

    /** What {@link #decide} settled: a {@link Rejection} or an {@link Acceptance}. */
    public sealed interface Result permits Rejection, Acceptance {
    }

    /**
     * The handshake is refused with {@code status}. {@code reason} says why, and {@code cause} is what the
     * configurator threw (or null): both are for the server's log, never for the response, since they
     * may quote the request or tell the server's internals (the body is
     * {@link ServerHandshake.Rejected#publicText()}).
     */
    public record Rejection(int status, String reason, Throwable cause) implements Result {
        public Rejection {
            Objects.requireNonNull(reason, "reason");
        }

        /** A refusal that no exception caused. */
        public Rejection(int status, String reason) {
            this(status, reason, null);
        }

        /** As the handshake functions write a refusal. */
        public ServerHandshake.Rejected toRejected() {
            return new ServerHandshake.Rejected(status, reason, new HttpHeaders());
        }
    }

    /**
     * The handshake is accepted: write {@link #response()}, then {@link #open open} the session on the
     * connection.
     */
    public static final class Acceptance implements Result {
        private final HttpResponseHead response;
        private final Endpoint endpoint;
        private final ServerEndpointConfig config;
        private final MessageExtension extension;
        private final String subprotocol;
        private final List<Extension> extensions;
        private final Map<String, String> pathParameters;
        private final HandshakeRequest request;

        Acceptance(HttpResponseHead response, Endpoint endpoint, ServerEndpointConfig config,
                   MessageExtension extension, String subprotocol, List<Extension> extensions,
                   Map<String, String> pathParameters, HandshakeRequest request) {
            this.response = response;
            this.endpoint = endpoint;
            this.config = config;
            this.extension = extension;
            this.subprotocol = subprotocol;
            this.extensions = List.copyOf(extensions);
            this.pathParameters = pathParameters;
            this.request = request;
        }

        /** The {@code 101} response head, with the headers {@code modifyHandshake} added. */
        public HttpResponseHead response() {
            return response;
        }

        /** The endpoint instance, an annotated one already wrapped. */
        public Endpoint endpoint() {
            return endpoint;
        }

        /** This connection's configuration: the endpoint's, with user properties of its own. */
        public ServerEndpointConfig config() {
            return config;
        }

        /** The agreed message extension (permessage-deflate), or {@code null}. */
        public MessageExtension extension() {
            return extension;
        }

        /** The agreed subprotocol, or {@code ""}. */
        public String subprotocol() {
            return subprotocol;
        }

        /** The agreed extensions as the session reports them. */
        public List<Extension> extensions() {
            return extensions;
        }

        /**
         * Opens the session on the upgraded connection; the caller then feeds it the connection's data.
         *
         * @param settings the container's session settings
         * @param container what {@code Session.getContainer()} returns
         * @param group the sessions of this endpoint
         */
        public BreakwaterSession open(Transport transport, SessionSettings settings, WebSocketContainer container,
                                      SessionGroup group, ClassLoader applicationLoader) {
            HandshakeDetails details = new HandshakeDetails(request.getRequestURI(), pathParameters,
                    request.getUserPrincipal(), subprotocol, extensions, config.getUserProperties());
            return BreakwaterSession.open(Role.SERVER, settings, container, endpoint, config, details, transport,
                    extension, group, applicationLoader);
        }
    }

    /**
     * Makes the configurator's decisions for one connection.
     *
     * @param match the endpoint found for the request path, with the path parameters
     * @param accepted the validated handshake request
     * @param request the request as the configurator sees it
     * @return a rejection (403 for an origin the allow-list or the configurator refuses, 500 for a
     *     configurator failure) or an acceptance
     */
    public Result decide(EndpointRegistry.Match match, ServerHandshake.Accepted accepted, HandshakeRequest request) {
        ServerEndpointConfig shared = match.config();
        // The container's list first: an application's configurator cannot widen it, only narrow it further.
        if (!originPolicy.accepts(accepted.headers().all("Origin"))) {
            return new Rejection(403, "origin " + String.join(", ", accepted.headers().all("Origin"))
                    + " is not among the container's allowed origins");
        }
        ServerEndpointConfig.Configurator configurator = shared.getConfigurator();
        try {
            // 3.1.4
            if (!configurator.checkOrigin(accepted.origin())) {
                return new Rejection(403, "the configurator of " + shared.getEndpointClass().getName()
                        + " refused origin " + accepted.origin());
            }
            // 3.1.2
            String subprotocol = configurator.getNegotiatedSubprotocol(
                    shared.getSubprotocols() == null ? List.of() : shared.getSubprotocols(), accepted.subprotocols());
            if (subprotocol == null || subprotocol.isEmpty()) {
                subprotocol = "";
            } else if (!accepted.subprotocols().contains(subprotocol)) {
                return new Rejection(500, "the configurator chose subprotocol " + subprotocol
                        + ", which the client did not request");
            }
            // 3.1.3
            List<Extension> requested = new ArrayList<>();
            accepted.extensions().forEach(spec -> requested.add(ServerExtension.of(spec)));
            List<Extension> negotiated = configurator.getNegotiatedExtensions(installed(shared), requested);
            List<ExtensionSpec> responseExtensions = new ArrayList<>();
            MessageExtension extension = settleExtensions(accepted, negotiated, responseExtensions);
            // 3.1.5, on a copy whose user properties are this connection's own
            ConnectionConfig config = new ConnectionConfig(shared);
            Response response = new Response();
            configurator.modifyHandshake(config, request, response);
            // The session reads its keepalive from these properties once open: a bad value fails the handshake.
            Keepalive.DEFAULT.with(config.getUserProperties());
            HttpHeaders extra = new HttpHeaders();
            response.getHeaders().forEach((name, values) -> {
                if (name != null && values != null && HANDSHAKE_HEADERS.stream().noneMatch(name::equalsIgnoreCase)) {
                    values.forEach(value -> extra.add(name, value == null ? "" : value));
                }
            });
            HttpResponseHead head = ServerHandshake.acceptResponse(accepted,
                    subprotocol.isEmpty() ? null : subprotocol, responseExtensions, extra);
            // 3.1.7
            Endpoint endpoint = endpoint(shared, configurator.getEndpointInstance(shared.getEndpointClass()));
            List<Extension> agreed = new ArrayList<>();
            responseExtensions.forEach(spec -> agreed.add(ServerExtension.of(spec)));
            return new Acceptance(head, endpoint, config, extension, subprotocol, agreed, match.pathParameters(),
                    request);
        } catch (Exception | LinkageError e) {
            return new Rejection(500, "the handshake for endpoint " + shared.getEndpointClass().getName()
                    + " failed: " + e, e);
        }
    }

    /** The endpoint's own extensions, then the container's installed ones. */
    private List<Extension> installed(ServerEndpointConfig config) {
        List<Extension> installed = new ArrayList<>();
        if (config.getExtensions() != null) {
            installed.addAll(config.getExtensions());
        }
        installed.add(new ServerExtension(DeflateNegotiation.EXTENSION_NAME, List.of()));
        installedExtensions.forEach(name -> installed.add(new ServerExtension(name, List.of())));
        return installed;
    }

    /**
     * The response elements for the configurator's choice, in its order: permessage-deflate with
     * parameters settled by {@link DeflateNegotiation#negotiateAsServer} over the chosen offers, any
     * other extension once, by name, under the name the client used. Choices the client did not offer
     * are left out, since the client would fail the connection on them (RFC 6455 §4.1).
     *
     * @return the permessage-deflate message extension, or {@code null}
     */
    private MessageExtension settleExtensions(ServerHandshake.Accepted accepted, List<Extension> negotiated,
                                              List<ExtensionSpec> response) {
        Map<String, ExtensionSpec> byName = new LinkedHashMap<>();
        List<ExtensionSpec> deflateOffers = new ArrayList<>();
        for (Extension choice : negotiated == null ? List.<Extension>of() : negotiated) {
            if (choice == null || choice.getName() == null) {
                continue;
            }
            Optional<ExtensionSpec> offered = accepted.extensions().stream()
                    .filter(spec -> spec.name().equalsIgnoreCase(choice.getName())).findFirst();
            if (offered.isEmpty()) {
                continue;
            }
            String name = offered.get().name();
            if (name.equalsIgnoreCase(DeflateNegotiation.EXTENSION_NAME)) {
                deflateOffers.add(toSpec(name, choice));
                byName.putIfAbsent(DeflateNegotiation.EXTENSION_NAME, null);
            } else {
                byName.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), new ExtensionSpec(name));
            }
        }
        MessageExtension extension = null;
        for (Map.Entry<String, ExtensionSpec> entry : byName.entrySet()) {
            if (entry.getValue() != null) {
                response.add(entry.getValue());
                continue;
            }
            Optional<DeflateNegotiation.Agreement> agreement =
                    DeflateNegotiation.negotiateAsServer(deflateOffers, deflateConfig);
            if (agreement.isPresent()) {
                ExtensionSpec answer = agreement.get().response();
                // acceptResponse compares names exactly with the offer; answer under the client's spelling.
                response.add(new ExtensionSpec(deflateOffers.get(0).name(), answer.parameters()));
                extension = agreement.get().parameters().newExtension(Role.SERVER, deflateConfig);
            }
        }
        return extension;
    }

    private static ExtensionSpec toSpec(String name, Extension extension) {
        List<ExtensionSpec.Parameter> parameters = new ArrayList<>();
        if (extension.getParameters() != null) {
            for (Extension.Parameter parameter : extension.getParameters()) {
                parameters.add(new ExtensionSpec.Parameter(parameter.getName(), parameter.getValue()));
            }
        }
        return new ExtensionSpec(name, parameters);
    }

    private Endpoint endpoint(ServerEndpointConfig shared, Object instance) throws DeploymentException {
        if (instance instanceof Endpoint programmatic) {
            return programmatic;
        }
        AnnotatedEndpointModel model = models.get(shared);
        if (model == null) {
            model = AnnotatedEndpointModel.of(shared.getEndpointClass(), AnnotatedEndpointModel.Kind.SERVER,
                    shared.getDecoders());
            models.put(shared, model);
        }
        return model.newEndpoint(instance);
    }

    /** An extension as the Jakarta API reports one. */
    record ServerExtension(String getName, List<Extension.Parameter> getParameters) implements Extension {
        ServerExtension {
            getParameters = List.copyOf(getParameters);
        }

        static ServerExtension of(ExtensionSpec spec) {
            List<Extension.Parameter> parameters = new ArrayList<>();
            for (ExtensionSpec.Parameter parameter : spec.parameters()) {
                parameters.add(new Parameter(parameter.name(), parameter.value()));
            }
            return new ServerExtension(spec.name(), parameters);
        }

        private record Parameter(String getName, String getValue) implements Extension.Parameter {
        }
    }

    /** The handshake response whose headers {@code modifyHandshake} may add to. */
    private static final class Response implements HandshakeResponse {
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        @Override
        public Map<String, List<String>> getHeaders() {
            return headers;
        }
    }
}
