package io.breakwater.spring.boot;

import java.util.Arrays;
import java.util.Optional;
import org.springframework.util.ClassUtils;

/**
 * The embedded containers' own Jakarta WebSocket implementations, which Spring Boot installs whenever their jars
 * are on the class path (Boot 4: {@code TomcatWebServerConfiguration.TomcatWebSocketConfiguration}, on the
 * condition of Tomcat's {@code WsSci}; {@code JettyServletWebServerAutoConfiguration.JettyWebSocketConfiguration},
 * on Jetty's {@code JakartaWebSocketServletContainerInitializer}). Only one implementation can publish the
 * {@code ServerContainer} of an application and answer its handshakes, and Boot's conditions look at classes,
 * not at what an application prefers; so Breakwater steps aside for them, and says which jar to exclude.
 */
enum OtherWebSocketProvider {

    TOMCAT("Tomcat", "org.apache.catalina.startup.Tomcat", "org.apache.tomcat.websocket.server.WsSci",
            "org.apache.tomcat.embed:tomcat-embed-websocket",
            "exclude it from spring-boot-starter-tomcat, or from the starter that brings it (spring-boot-starter-web,"
                    + " -webmvc or -websocket)"),
    JETTY("Jetty", "org.eclipse.jetty.server.Server",
            "org.eclipse.jetty.ee11.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer",
            "org.eclipse.jetty.ee11.websocket:jetty-ee11-websocket-jakarta-server",
            "exclude it, and org.eclipse.jetty.ee11.websocket:jetty-ee11-websocket-jetty-server, from"
                    + " spring-boot-starter-jetty");

    private final String container;
    private final String serverClass;
    private final String initializerClass;
    private final String jar;
    private final String fix;

    OtherWebSocketProvider(String container, String serverClass, String initializerClass, String jar, String fix) {
        this.container = container;
        this.serverClass = serverClass;
        this.initializerClass = initializerClass;
        this.jar = jar;
        this.fix = fix;
    }

    /** The first implementation that Boot would install for a container on the class path of {@code loader}. */
    static Optional<OtherWebSocketProvider> present(ClassLoader loader) {
        return Arrays.stream(values())
                .filter(provider -> ClassUtils.isPresent(provider.serverClass, loader)
                        && ClassUtils.isPresent(provider.initializerClass, loader))
                .findFirst();
    }

    /** Why Breakwater does not start, and what to change. */
    String backOffMessage() {
        return "Breakwater is not the WebSocket provider of this application: " + container + "'s own implementation"
                + " is on the class path (" + jar + ", found by its class " + initializerClass + "), and Spring Boot"
                + " installs it. To use Breakwater, " + fix + ".";
    }
}
