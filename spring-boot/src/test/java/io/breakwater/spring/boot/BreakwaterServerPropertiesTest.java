package io.breakwater.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * How {@code breakwater.server.*} become Breakwater's context parameters, and what a user sees for a value that
 * Breakwater refuses: its own message, naming the property that was set.
 */
class BreakwaterServerPropertiesTest {

    /** Every property, in Boot's notation, and the context parameter Breakwater reads for it. */
    private static final Map<String, String[]> EVERY_PROPERTY = new LinkedHashMap<>();

    static {
        EVERY_PROPERTY.put("breakwater.server.callback-threads", new String[] {"8", "io.breakwater.server.callbackThreads", "8"});
        EVERY_PROPERTY.put("breakwater.server.callback-executor", new String[] {"virtual", "io.breakwater.server.callbackExecutor", "virtual"});
        EVERY_PROPERTY.put("breakwater.server.max-queued-bytes", new String[] {"1MB", "io.breakwater.server.maxQueuedBytes", "1048576"});
        EVERY_PROPERTY.put("breakwater.server.close-timeout", new String[] {"2s", "io.breakwater.server.closeTimeout", "2000"});
        EVERY_PROPERTY.put("breakwater.server.keepalive-interval", new String[] {"0", "io.breakwater.server.keepaliveInterval", "0"});
        EVERY_PROPERTY.put("breakwater.server.keepalive-timeout", new String[] {"1m", "io.breakwater.server.keepaliveTimeout", "60000"});
        EVERY_PROPERTY.put("breakwater.server.allowed-origins", new String[] {"https://a.example, http://b.example:8080", "io.breakwater.server.allowedOrigins", "https://a.example,http://b.example:8080"});
        EVERY_PROPERTY.put("breakwater.server.extensions", new String[] {"x-one,x-two", "io.breakwater.server.extensions", "x-one,x-two"});
        EVERY_PROPERTY.put("breakwater.server.upgrade", new String[] {"servlet", "io.breakwater.servlet.upgrade", "servlet"});
    }

    @Test
    void eachPropertyBecomesItsContextParameterInTheParametersUnits() {
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> expected = new LinkedHashMap<>();
        EVERY_PROPERTY.forEach((property, value) -> {
            properties.put(property, value[0]);
            expected.put(value[1], value[2]);
        });
        assertEquals(expected, bind(properties).contextParameters());
    }

    @Test
    void nothingSetMeansBreakwatersDefaults() {
        assertEquals(Map.of(), bind(Map.of()).contextParameters());
    }

    @Test
    void theNameOfTheBootPropertyFollowsFromTheParameter() {
        // What a start-up error quotes must be the property the user set.
        EVERY_PROPERTY.forEach((property, value) -> assertEquals(property, BreakwaterServerProperties.propertyFor(value[1])));
    }

    @Test
    void aValueBreakwaterRefusesStopsTheApplicationNamingTheProperty() {
        Throwable failure = assertThrows(Throwable.class, () -> new SpringApplicationBuilder(EchoApplication.class)
                .properties("server.port=0", "breakwater.server.close-timeout=0s")
                .run()
                .close());
        String messages = messages(failure);
        assertTrue(messages.contains("Context parameter io.breakwater.server.closeTimeout must be a positive whole"
                + " number, not '0' (set by the Spring Boot property breakwater.server.close-timeout)"), messages);
    }

    @Test
    void aSettingGivenAsPropertyAndAsContextParameterWithDifferentValuesStopsTheApplication() {
        Throwable failure = assertThrows(Throwable.class, () -> new SpringApplicationBuilder(EchoApplication.class)
                .properties("server.port=0", "breakwater.server.close-timeout=2s",
                        "server.servlet.context-parameters[io.breakwater.server.closeTimeout]=3000")
                .run()
                .close());
        String messages = messages(failure);
        assertTrue(messages.contains("The Spring Boot property breakwater.server.close-timeout says '2000', the context"
                + " parameter io.breakwater.server.closeTimeout says '3000': set one of them"), messages);
    }

    private static BreakwaterServerProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("breakwater.server", BreakwaterServerProperties.class);
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            all.append(cause).append('\n');
        }
        assertNotNull(failure);
        return all.toString();
    }
}
