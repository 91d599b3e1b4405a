package io.breakwater.samples.boot;

import io.breakwater.samples.chat.ChatEndpoint;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

/**
 * The samples' chat room as a Spring Boot application on embedded Tomcat: the same {@link ChatEndpoint} and the
 * same page as the embedded Jetty server ({@code io.breakwater.samples.server.ChatServer}) and the WAR, with
 * Breakwater as the WebSocket provider through {@code breakwater-spring-boot-starter}. The page comes from the
 * {@code webapp/} folder of the breakwater-samples jar ({@code spring.web.resources.static-locations}).
 */
@SpringBootApplication
public class ChatApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChatApplication.class, args);
    }

    /**
     * Deploys the chat at {@code /chat/{room}}. Boot scans for no {@code @ServerEndpoint} class, and neither does
     * the starter: the exporter is told of it. The endpoint needs no configurator: Breakwater makes an instance
     * per connection, as in any servlet container, and the rooms are shared in the endpoint's class.
     */
    @Bean
    ServerEndpointExporter chatEndpointExporter() {
        ServerEndpointExporter exporter = new ServerEndpointExporter();
        exporter.setAnnotatedEndpointClasses(ChatEndpoint.class);
        return exporter;
    }
}
