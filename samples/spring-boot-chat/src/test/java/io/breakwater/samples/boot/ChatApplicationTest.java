package io.breakwater.samples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.samples.chat.TwoJdkMembers;
import io.breakwater.server.BreakwaterServerContainer;
import jakarta.websocket.server.ServerContainer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

/**
 * The Boot application on its embedded Tomcat, at a random port: Breakwater answers the chat's handshakes, two
 * members on the JDK's WebSocket client talk in a room, and the page is the samples' own.
 */
@SpringBootTest(classes = ChatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatApplicationTest {

    @LocalServerPort
    int port;

    @Autowired
    ServletWebServerApplicationContext application;

    @Test
    void breakwaterIsTheWebSocketProviderOfTheEmbeddedTomcat() {
        assertInstanceOf(TomcatWebServer.class, application.getWebServer());
        assertInstanceOf(BreakwaterServerContainer.class,
                application.getServletContext().getAttribute(ServerContainer.class.getName()));
        // Excluded in the pom: with it, Boot would install Tomcat's implementation and the starter would step aside.
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.tomcat.websocket.server.WsSci"));
    }

    @Test
    void twoMembersOnTheJdkClientTalkBothWaysAndSeeEachOtherComeAndGo() throws Exception {
        TwoJdkMembers.talkBothWaysAndSeeEachOtherComeAndGo(URI.create("ws://127.0.0.1:" + port + "/"), "boot");
    }

    @Test
    void thePageIsTheSamplesOwnServedAtTheRoot() throws Exception {
        HttpResponse<String> page = get("");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page::toString);
        assertEquals(samplesFile("index.html"), page.body());
        for (String asset : new String[] {"chat.js", "chat.css"}) {
            HttpResponse<String> response = get(asset);
            assertEquals(200, response.statusCode(), asset);
            assertEquals(samplesFile(asset), response.body(), asset);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A file of samples/src/main/webapp, as the breakwater-samples jar carries it. */
    private static String samplesFile(String name) throws Exception {
        try (InputStream file = ChatApplicationTest.class.getResourceAsStream("/webapp/" + name)) {
            assertNotNull(file, "webapp/" + name + " is not on the class path");
            return new String(file.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
