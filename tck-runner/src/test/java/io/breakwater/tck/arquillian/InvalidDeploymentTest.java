package io.breakwater.tck.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.tck.arquillian.broken.BrokenEndpoint;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The container itself: a web archive with an invalid endpoint does not deploy, and says why. */
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
    void anInvalidEndpointFailsTheDeploymentWithBreakwatersMessage() {
        WebArchive archive = ShrinkWrap.create(WebArchive.class, "broken.war").addClass(BrokenEndpoint.class);
        DeploymentException failure = assertThrows(DeploymentException.class, () -> container.deploy(archive));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        assertTrue(messages.toString().contains("jakarta.websocket.DeploymentException"), messages.toString());
        assertTrue(messages.toString().contains(BrokenEndpoint.class.getName() + ".twoMessages"), messages.toString());
    }

    @Test
    void contextPathsFollowTheArchiveName() {
        assertEquals("/app", EmbeddedJettyContainer.contextPath("app.war"));
        assertEquals("/", EmbeddedJettyContainer.contextPath("ROOT.war"));
    }
}
