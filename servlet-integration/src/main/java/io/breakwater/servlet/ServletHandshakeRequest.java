package io.breakwater.servlet;

import io.breakwater.api.RequestParameters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.server.HandshakeRequest;
import java.net.URI;
import java.security.Principal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The handshake request as a configurator and the session see it, taken from the servlet request
 * while the handshake is made: the values are copied, since the request object may be recycled once
 * the connection is upgraded.
 */
final class ServletHandshakeRequest implements HandshakeRequest {

    private final Map<String, List<String>> headers;
    private final URI requestUri;
    private final Map<String, List<String>> parameters;
    private final String queryString;
    private final Principal principal;
    private final Object httpSession;
    private volatile HttpServletRequest request;

    /**
     * @param request        the handshake request
     * @param pathParameters the values of the endpoint path's variables, which the parameter map includes
     */
    ServletHandshakeRequest(HttpServletRequest request, Map<String, String> pathParameters) {
        this.request = request;
        Map<String, List<String>> headerMap = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(request.getHeaderNames())) {
            headerMap.put(name, Collections.unmodifiableList(Collections.list(request.getHeaders(name))));
        }
        this.headers = Collections.unmodifiableMap(headerMap);
        this.queryString = request.getQueryString();
        StringBuilder url = new StringBuilder(request.getRequestURL());
        if (url.length() >= 4 && url.substring(0, 4).equalsIgnoreCase("http")) {
            url.replace(0, 4, "ws");
        }
        if (queryString != null) {
            url.append('?').append(queryString);
        }
        this.requestUri = URI.create(url.toString());
        this.parameters = RequestParameters.of(queryString, pathParameters);
        this.principal = request.getUserPrincipal();
        this.httpSession = request.getSession(false);
    }

    /** The handshake is over: the servlet request is no longer consulted. */
    void detach() {
        request = null;
    }

    @Override
    public Map<String, List<String>> getHeaders() {
        return headers;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public URI getRequestURI() {
        return requestUri;
    }

    @Override
    public boolean isUserInRole(String role) {
        HttpServletRequest current = request;
        return current != null && current.isUserInRole(role);
    }

    @Override
    public Object getHttpSession() {
        return httpSession;
    }

    @Override
    public Map<String, List<String>> getParameterMap() {
        return parameters;
    }

    @Override
    public String getQueryString() {
        return queryString;
    }
}
