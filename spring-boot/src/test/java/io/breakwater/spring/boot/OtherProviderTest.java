package io.breakwater.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.context.servlet.AnnotationConfigServletWebApplicationContext;

/**
 * With the container's own WebSocket jar on the class path, as when a user forgot the exclusion, Boot installs that
 * implementation, and the starter installs nothing and says which jar to exclude. The jar (tomcat-embed-websocket, or
 * Jetty's jetty-ee11-websocket-jakarta-server) is put back in a class loader of this test's own.
 */
class OtherProviderTest {

    /** Without the runner's mock servlet context, which Boot's conditions would take for a WAR deployment. */
    private final WebApplicationContextRunner runner = new WebApplicationContextRunner(
            AnnotationConfigServletWebApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(BreakwaterWebSocketAutoConfiguration.class));

    @Test
    void withoutTheContainersOwnJarTheStarterInstallsBreakwater() {
        runner.run(context -> assertEquals(1,
                context.getBeansOfType(BreakwaterServletContextInitializer.class).size()));
    }

    @Test
    void withTheContainersOwnJarTheStarterStepsAsideAndNamesTheJar() throws Exception {
        Path jar = Path.of(System.getProperty("breakwater.test.otherProvider"));
        assertTrue(Files.isRegularFile(jar), () -> jar + " is missing");
        List<String> warnings = new ArrayList<>();
        Logger logger = Logger.getLogger(BreakwaterWebSocketAutoConfiguration.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try (URLClassLoader withTheJar = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                OtherProviderTest.class.getClassLoader())) {
            runner.withClassLoader(withTheJar).run(context ->
                    assertEquals(0, context.getBeansOfType(BreakwaterServletContextInitializer.class).size()));
        } finally {
            logger.removeHandler(handler);
        }
        String jarName = ExpectedContainer.name().equals("Tomcat")
                ? "org.apache.tomcat.embed:tomcat-embed-websocket"
                : "org.eclipse.jetty.ee11.websocket:jetty-ee11-websocket-jakarta-server";
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).startsWith("WARNING Breakwater is not the WebSocket provider of this application: "
                + ExpectedContainer.name() + "'s own implementation is on the class path (" + jarName), warnings::toString);
    }
}
