package io.breakwater.api;

import jakarta.websocket.Extension;
import java.net.URI;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the opening handshake settled for one session, as the Jakarta API reports it.
 *
 * @param requestUri     the URI the handshake was made for, with {@code ws} or {@code wss} as scheme
 * @param pathParameters values of the endpoint path's template variables (empty for a client), kept in
 *                       the template's order: applications print them, and the TCK compares such output
 * @param userPrincipal  the authenticated user, or null
 * @param subprotocol    the agreed subprotocol, or "" when none
 * @param extensions     the agreed extensions
 * @param userProperties the session's initial user properties (a copy the session may change)
 */
public record HandshakeDetails(URI requestUri, Map<String, String> pathParameters, Principal userPrincipal,
                               String subprotocol, List<Extension> extensions, Map<String, Object> userProperties) {

    public HandshakeDetails {
        pathParameters = Collections.unmodifiableMap(new LinkedHashMap<>(pathParameters));
        extensions = List.copyOf(extensions);
    }
}
