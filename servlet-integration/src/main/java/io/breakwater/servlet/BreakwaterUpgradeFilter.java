package io.breakwater.servlet;

import io.breakwater.handshake.HttpHeaders;
import io.breakwater.handshake.ServerHandshake;
import io.breakwater.server.BreakwaterServerContainer;
import io.breakwater.server.EndpointRegistry;
import io.breakwater.server.ServerUpgrade;
import jakarta.servlet.FilterChain;
import jakarta.servlet.GenericFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Answers WebSocket opening handshakes for the deployed endpoints: a {@code GET} with
 * {@code Upgrade: websocket} whose path, relative to the context path, matches an endpoint is
 * validated (RFC 6455 §4.2.1), decided by the endpoint's configurator, and upgraded with
 * the web application's {@link UpgradeMechanism}. Every other request passes down the chain untouched.
 *
 * <p>It runs after the application's own filters (see the initializer), so the request it sees is the one
 * they passed on, wrapped or not. A refusal's body is a fixed text per status; why it was refused is
 * logged at DEBUG.
 */
public final class BreakwaterUpgradeFilter extends GenericFilter {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(BreakwaterUpgradeFilter.class.getName());

    private final transient BreakwaterServerContainer container;
    private final transient Executor executor;
    private final transient ClassLoader applicationLoader;
    private final transient UpgradeMechanism mechanism;

    BreakwaterUpgradeFilter(BreakwaterServerContainer container, Executor executor, ClassLoader applicationLoader,
                            UpgradeMechanism mechanism) {
        this.container = container;
        this.executor = executor;
        this.applicationLoader = applicationLoader;
        this.mechanism = mechanism;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
                || !isWebSocketUpgrade(request)) {
            chain.doFilter(req, res);
            return;
        }
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        String path = contextPath != null && uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : uri;
        Optional<EndpointRegistry.Match> match = container.find(path.isEmpty() ? "/" : path);
        if (match.isEmpty()) {
            chain.doFilter(req, res);
            return;
        }
        handshake(request, response, match.get());
    }

    /**
     * Answers the opening handshake of {@code request} for the endpoint {@code match}: the rejection's
     * status, or 101 and the session once the container hands the connection over. Also what
     * {@code ServerContainer.upgradeHttpToWebSocket} does (Jakarta WebSocket 2.2 §6.4).
     */
    void handshake(HttpServletRequest request, HttpServletResponse response, EndpointRegistry.Match match)
            throws IOException, ServletException {
        HttpHeaders headers = new HttpHeaders();
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                headers.add(name, value);
            }
        }
        String uri = request.getRequestURI();
        String target = request.getQueryString() == null ? uri : uri + "?" + request.getQueryString();
        ServerHandshake.Outcome outcome = ServerHandshake.validate(request.getMethod(), request.getProtocol(),
                target, headers);
        if (outcome instanceof ServerHandshake.Rejected rejected) {
            reject(request, response, rejected, null);
            return;
        }
        ServerHandshake.Accepted accepted = (ServerHandshake.Accepted) outcome;
        ServletHandshakeRequest handshakeRequest = new ServletHandshakeRequest(request, match.pathParameters());
        ServerUpgrade.Result result = container.upgrade(match, accepted, handshakeRequest);
        handshakeRequest.detach();
        if (result instanceof ServerUpgrade.Rejection rejection) {
            reject(request, response, rejection.toRejected(), rejection.cause());
            return;
        }
        ServerUpgrade.Acceptance acceptance = (ServerUpgrade.Acceptance) result;
        response.setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
        for (HttpHeaders.Field field : acceptance.response().headers().fields()) {
            response.addHeader(field.name(), field.value());
        }
        mechanism.upgrade(request, response, new SessionOpening(acceptance, container, executor, applicationLoader));
    }

    private static boolean isWebSocketUpgrade(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod())) {
            return false;
        }
        for (String value : Collections.list(request.getHeaders("Upgrade"))) {
            for (String token : HttpHeaders.splitList(value)) {
                if (token.trim().equalsIgnoreCase("websocket")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Answers a refused handshake with its status, its headers and the fixed text of
     * {@link ServerHandshake.Rejected#publicText()}: the reason, which may quote the request's headers or
     * the configurator's exception, goes to the log at DEBUG only, with the exception's stack.
     */
    private static void reject(HttpServletRequest request, HttpServletResponse response,
                               ServerHandshake.Rejected rejected, Throwable cause) throws IOException {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "WebSocket handshake for " + request.getRequestURI()
                    + " from " + request.getRemoteAddr() + " refused with " + rejected.status() + ": "
                    + rejected.reason(), cause);
        }
        response.setStatus(rejected.status());
        for (HttpHeaders.Field field : rejected.headers().fields()) {
            response.addHeader(field.name(), field.value());
        }
        byte[] body = rejected.body();
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
