package io.breakwater.spring.boot.three;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Spring Boot 3.5's Jetty is 12.0 (ee10, Servlet 6.0), where Breakwater cannot carry a connection (its Jetty upgrade
 * is for Jetty 12.1's ee11, and ee10's {@code HttpServletRequest.upgrade} is not implemented): the application does
 * not start, and says why, instead of answering every handshake with 500.
 */
@EnabledIfSystemProperty(named = "breakwater.test.container", matches = "jetty")
class JettyTwelveZeroTest {

    @Test
    void theApplicationDoesNotStartAndSaysWhy() {
        Throwable failure = assertThrows(Throwable.class, () -> new SpringApplicationBuilder(EchoApplication.class)
                .properties("server.port=0")
                .run()
                .close());
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause).append('\n');
        }
        assertTrue(messages.toString().contains("Breakwater cannot carry WebSocket connections on jetty/12.0."),
                messages::toString);
        assertTrue(messages.toString().contains("it needs Jetty 12.1 (ee11)"), messages::toString);
    }
}
