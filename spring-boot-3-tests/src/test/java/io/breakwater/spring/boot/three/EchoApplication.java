package io.breakwater.spring.boot.three;

import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.security.Principal;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.stereotype.Controller;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

/**
 * A Boot application with WebSocket endpoints of the three kinds Boot users write: a {@code @ServerEndpoint}
 * deployed by {@link ServerEndpointExporter}, a Spring {@code WebSocketHandler}, and STOMP over the simple broker.
 * Each echo names the class of the server's Jakarta session, so that a test sees which provider answered.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableWebSocket
@EnableWebSocketMessageBroker
public class EchoApplication implements WebSocketConfigurer, WebSocketMessageBrokerConfigurer {

    @Bean
    ServerEndpointExporter serverEndpointExporter() {
        ServerEndpointExporter exporter = new ServerEndpointExporter();
        exporter.setAnnotatedEndpointClasses(AnnotatedEcho.class);
        return exporter;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new HandlerEcho(), "/handler/echo");
        // Spring's own origin check admits only same-origin pages by default; this one leaves the decision to the
        // provider's allow-list (breakwater.server.allowed-origins).
        registry.addHandler(new HandlerEcho(), "/handler/echo-any-origin").setAllowedOrigins("*");
    }

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        registry.addEndpoint("/stomp");
        // A client's SUBSCRIBE is handled before its SEND that follows it, so the subscriber hears the reply.
        registry.setPreserveReceiveOrder(true);
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        registry.enableSimpleBroker("/topic");
        registry.setApplicationDestinationPrefixes("/app");
    }

    /** {@code text} → {@code "annotated: text, <session class>"}. */
    @ServerEndpoint("/annotated/echo")
    public static class AnnotatedEcho {
        @OnMessage
        public String echo(String text, Session session) {
            return "annotated: " + text + ", " + session.getClass().getName();
        }
    }

    /** {@code text} → {@code "handler: text, <Jakarta session class>, <principal or nobody>"}. */
    static class HandlerEcho extends TextWebSocketHandler {
        @Override
        protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
            Object jakartaSession = ((NativeWebSocketSession) session).getNativeSession();
            Principal principal = session.getPrincipal();
            session.sendMessage(new TextMessage("handler: " + message.getPayload() + ", "
                    + jakartaSession.getClass().getName() + ", " + (principal == null ? "nobody" : principal.getName())));
        }
    }

    /** Registered as a member class of this configuration. */
    @Controller
    static class Greetings {
        @MessageMapping("/hello")
        @SendTo("/topic/greetings")
        String greet(String name) {
            return "hello, " + name;
        }
    }
}
