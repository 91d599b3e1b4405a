package io.breakwater.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.server.BreakwaterServerContainer;
import jakarta.servlet.ServletContext;
import java.lang.reflect.Type;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * A Boot application on the embedded container with Breakwater's starter, driven by real clients over loopback:
 * the JDK's WebSocket client, Breakwater's own through Spring's {@link StandardWebSocketClient}, and Spring's
 * STOMP client. Runs once on Tomcat and once on Jetty ({@link ExpectedContainer}).
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BreakwaterStarterTest {

    private static final String BREAKWATER_SESSION = "io.breakwater.api.";

    @LocalServerPort
    int port;

    @Autowired
    ServletContext servletContext;

    @Autowired
    ServletWebServerApplicationContext application;

    @Test
    void breakwaterIsTheProviderOfTheEmbeddedContainer() {
        assertTrue(application.getWebServer().getClass().getSimpleName().startsWith(ExpectedContainer.name()),
                () -> "the web server is " + application.getWebServer().getClass().getName());
        assertInstanceOf(BreakwaterServerContainer.class,
                servletContext.getAttribute("jakarta.websocket.server.ServerContainer"));
    }

    @Test
    void serverEndpointExporterDeploysAnAnnotatedEndpoint() throws Exception {
        try (JdkClient client = JdkClient.connect(uri("/annotated/echo"))) {
            String reply = client.exchange("hi");
            assertTrue(reply.startsWith("annotated: hi, " + BREAKWATER_SESSION), reply);
        }
    }

    @Test
    void aWebSocketHandlerAnswersTheJdkClient() throws Exception {
        try (JdkClient client = JdkClient.connect(uri("/handler/echo"))) {
            String reply = client.exchange("hi");
            assertTrue(reply.startsWith("handler: hi, " + BREAKWATER_SESSION), reply);
            assertTrue(reply.endsWith(", nobody"), reply);
        }
    }

    @Test
    void standardWebSocketClientConnectsWithBreakwatersClient() throws Exception {
        BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        CountDownLatch established = new CountDownLatch(1);
        TextWebSocketHandler handler = new TextWebSocketHandler() {
            @Override
            public void afterConnectionEstablished(WebSocketSession session) {
                established.countDown();
            }

            @Override
            protected void handleTextMessage(WebSocketSession session, TextMessage message) {
                replies.add(message.getPayload());
            }
        };
        WebSocketSession session = new StandardWebSocketClient()
                .execute(handler, uri("/handler/echo").toString())
                .get(JdkClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            // Breakwater's connectToServer returns once the session exists, and runs onOpen (where Spring's
            // adapter initialises its session and calls afterConnectionEstablished) on a callback thread: the
            // future can complete first. Tomcat's and Jetty's clients run onOpen before they return.
            assertTrue(established.await(JdkClient.WAIT.toMillis(), TimeUnit.MILLISECONDS), "never established");
            String clientSession = ((NativeWebSocketSession) session).getNativeSession().getClass().getName();
            assertTrue(clientSession.startsWith(BREAKWATER_SESSION), clientSession);
            session.sendMessage(new TextMessage("from Spring"));
            String reply = replies.poll(JdkClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(reply, "no reply within " + JdkClient.WAIT);
            assertTrue(reply.startsWith("handler: from Spring, " + BREAKWATER_SESSION), reply);
        } finally {
            session.close();
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
