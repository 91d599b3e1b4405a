package io.breakwater.spring.boot.three;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.server.BreakwaterServerContainer;
import jakarta.servlet.ServletContext;
import java.lang.reflect.Type;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/** The starter in a Spring Boot 3.5 application on its embedded Tomcat 10.1 (Servlet 6.0): Breakwater is the provider. */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EnabledIfSystemProperty(named = "breakwater.test.container", matches = "tomcat")
class TomcatTenTest {

    @LocalServerPort
    int port;

    @Autowired
    ServletContext servletContext;

    @Test
    void breakwaterIsTheProviderOfBoot35sTomcat() {
        assertTrue(SpringBootVersion.getVersion().startsWith("3.5."), SpringBootVersion.getVersion());
        assertTrue(servletContext.getServerInfo().startsWith("Apache Tomcat/10.1."), servletContext.getServerInfo());
        assertInstanceOf(BreakwaterServerContainer.class,
                servletContext.getAttribute("jakarta.websocket.server.ServerContainer"));
    }

    @Test
    void anAnnotatedEndpointAndAWebSocketHandlerAnswerTheJdkClient() throws Exception {
        try (JdkClient client = JdkClient.connect(uri("/annotated/echo"))) {
            String reply = client.exchange("hi");
            assertTrue(reply.startsWith("annotated: hi, io.breakwater.api."), reply);
        }
        try (JdkClient client = JdkClient.connect(uri("/handler/echo"))) {
            String reply = client.exchange("hi");
            assertTrue(reply.startsWith("handler: hi, io.breakwater.api."), reply);
        }
    }

    @Test
    void aStompMessageReachesItsSubscriber() throws Exception {
        WebSocketStompClient stomp = new WebSocketStompClient(new StandardWebSocketClient());
        stomp.setMessageConverter(new StringMessageConverter());
        StompSession session = stomp.connectAsync(uri("/stomp").toString(), new StompSessionHandlerAdapter() { })
                .get(JdkClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            BlockingQueue<String> greetings = new LinkedBlockingQueue<>();
            session.subscribe("/topic/greetings", new StompFrameHandler() {
                @Override
                public Type getPayloadType(StompHeaders headers) {
                    return String.class;
                }

                @Override
                public void handleFrame(StompHeaders headers, Object payload) {
                    greetings.add((String) payload);
                }
            });
            session.send("/app/hello", "ada");
            assertEquals("hello, ada", greetings.poll(JdkClient.WAIT.toMillis(), TimeUnit.MILLISECONDS));
        } finally {
            session.disconnect();
        }
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }
}
