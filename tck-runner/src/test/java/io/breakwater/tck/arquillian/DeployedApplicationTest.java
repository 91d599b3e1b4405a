package io.breakwater.tck.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.breakwater.tck.arquillian.app.EchoEndpoint;
import io.breakwater.tck.arquillian.app.ReverseConfig;
import io.breakwater.tck.arquillian.app.ReverseEndpoint;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.net.URI;
import java.net.URL;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A web archive deployed through Arquillian into {@link EmbeddedJettyContainer}, the way the TCK
 * deploys its tests: Breakwater finds the archive's endpoints by annotation scanning.
 */
@ExtendWith(ArquillianExtension.class)
class DeployedApplicationTest {

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.create(WebArchive.class, "chat-app.war")
                .addClasses(EchoEndpoint.class, ReverseEndpoint.class, ReverseConfig.class);
    }

    @ArquillianResource
    URL base;

    private URI ws(String path) {
        return URI.create("ws://" + base.getHost() + ":" + base.getPort() + base.getPath() + path);
    }

    private static Session connect(URI uri, BlockingQueue<String> messages) throws Exception {
        return ContainerProvider.getWebSocketContainer().connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session session, EndpointConfig config) {
                session.addMessageHandler(String.class, messages::add);
            }
        }, ClientEndpointConfig.Builder.create().build(), uri);
    }

    @Test
    void theArchivesContextPathIsItsName() {
        assertEquals("/chat-app/", base.getPath());
    }

    @Test
    void annotatedEndpointFoundByScanning() throws Exception {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (Session session = connect(ws("echo"), messages)) {
            session.getBasicRemote().sendText("scanned");
            assertEquals("echo:scanned", messages.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void programmaticEndpointFromTheArchivesServerApplicationConfig() throws Exception {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (Session session = connect(ws("reverse"), messages)) {
            session.getBasicRemote().sendText("abc");
            assertEquals("cba", messages.poll(10, TimeUnit.SECONDS));
        }
    }
}
