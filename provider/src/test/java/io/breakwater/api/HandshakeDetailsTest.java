package io.breakwater.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeDetailsTest {

    @Test
    void pathParametersKeepTheTemplatesOrderAndCannotBeChanged() {
        // Session.getPathParameters() is printed by applications (and compared by the TCK): template order.
        Map<String, String> fromTemplate = new LinkedHashMap<>();
        for (String name : List.of("zeta", "alpha", "param2", "param1", "mid")) {
            fromTemplate.put(name, name.toUpperCase());
        }
        HandshakeDetails details = new HandshakeDetails(URI.create("ws://h/p"), fromTemplate, null, "",
                List.of(), Map.of());
        assertEquals(List.of("zeta", "alpha", "param2", "param1", "mid"), List.copyOf(details.pathParameters().keySet()));
        fromTemplate.put("late", "x");
        assertEquals(5, details.pathParameters().size());
        assertThrows(UnsupportedOperationException.class, () -> details.pathParameters().put("x", "y"));
    }
}
