package io.breakwater.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request parameters of a handshake, as {@code HandshakeRequest.getParameterMap()} and
 * {@code Session.getRequestParameterMap()} report them: the endpoint path's template variables, then
 * the parameters of the query string ({@code a=1&b=2&a=3}). The path parameters are there because the
 * TCK's handshakerequest tests read them from the parameter map (Tomcat's map has them too).
 */
public final class RequestParameters {

    private RequestParameters() {
    }

    /**
     * @param rawQuery       the query without {@code ?}, still percent-encoded; null for none
     * @param pathParameters the values of the endpoint path's template variables; empty for a client
     * @return an unmodifiable map of unmodifiable lists, in that order
     */
    public static Map<String, List<String>> of(String rawQuery, Map<String, String> pathParameters) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        pathParameters.forEach((name, value) -> parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value));
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            }
        }
        parameters.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(parameters);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text; // a stray '%' stays as it was sent
        }
    }
}
