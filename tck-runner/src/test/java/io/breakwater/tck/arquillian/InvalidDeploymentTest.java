package io.breakwater.tck.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.tck.arquillian.broken.BrokenEndpoint;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The container itself: a web archive with an invalid endpoint is out of service, and says why. */
class InvalidDeploymentTest {

    private final EmbeddedJettyContainer container = new EmbeddedJettyContainer();

    @BeforeEach
    void start() throws Exception {
        container.setup(new EmbeddedJettyConfiguration());
        container.start();
    }

    @AfterEach
    void stop() throws Exception {
        container.stop();
    }

    @Test
    void anInvalidEndpointFailsTheApplicationWithBreakwatersMessage() throws Exception {
        WebArchive archive = ShrinkWrap.create(WebArchive.class, "broken.war").addClass(BrokenEndpoint.class);
        ProtocolMetaData metaData = container.deploy(archive);
        StringBuilder messages = new StringBuilder();
        for (Throwable t = container.deploymentFailure("broken.war").orElseThrow(); t != null; t = t.getCause()) {
            messages.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        assertTrue(messages.toString().contains("jakarta.websocket.DeploymentException"), messages.toString());
        assertTrue(messages.toString().contains(BrokenEndpoint.class.getName() + ".twoMessages"), messages.toString());

        // Out of service: no handshake is answered with 101.
        HTTPContext http = metaData.getContexts(HTTPContext.class).iterator().next();
        try (Socket socket = new Socket(http.getHost(), http.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /broken/broken HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            assertTrue(status.startsWith("HTTP/1.1 ") && !status.startsWith("HTTP/1.1 101"), status);
        }
        container.undeploy(archive);
    }

    @Test
    void contextPathsFollowTheArchiveName() {
        assertEquals("/app", EmbeddedJettyContainer.contextPath("app.war"));
        assertEquals("/", EmbeddedJettyContainer.contextPath("ROOT.war"));
    }
}
