package io.breakwater.servlet;

import jakarta.servlet.http.HttpServlet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat 11 on a free port of 127.0.0.1 (tomcat-embed-core only, without Tomcat's WebSocket
 * jar), with one application at {@code /app} that Breakwater's initializer deploys the endpoints of.
 *
 * <p>Breakwater takes Tomcat's own upgrade there ({@link TomcatUpgrade}); with the system property
 * {@value #MECHANISM_PROPERTY} set (the build's second run of the Tomcat tests sets it to {@code servlet}),
 * every application gets it as its {@link UpgradeMechanism#PARAMETER}, unless the test sets that itself.
 */
record EmbeddedTomcat(Tomcat tomcat, Context context, int port) {

    static final String MECHANISM_PROPERTY = "breakwater.test.tomcatUpgrade";

    static EmbeddedTomcat start(Path baseDir, Class<?>... endpoints) throws Exception {
        return start(baseDir, Map.of(), endpoints);
    }

    /** With {@code parameters} as the application's context parameters. */
    static EmbeddedTomcat start(Path baseDir, Map<String, String> parameters, Class<?>... endpoints) throws Exception {
        return start(baseDir, parameters, context -> { }, endpoints);
    }

    /**
     * With {@code declare} adding to the context before it starts what a web.xml would declare (filters,
     * servlets): it is there before Breakwater's initializer runs, as a deployment descriptor's is.
     */
    static EmbeddedTomcat start(Path baseDir, Map<String, String> parameters, Consumer<Context> declare,
                                Class<?>... endpoints) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Path docBase = Files.createDirectories(baseDir.resolve("app"));
        Context context = tomcat.addContext("/app", docBase.toString());
        parameters.forEach(context::addParameter);
        String mechanism = System.getProperty(MECHANISM_PROPERTY);
        if (mechanism != null && !parameters.containsKey(UpgradeMechanism.PARAMETER)) {
            context.addParameter(UpgradeMechanism.PARAMETER, mechanism);
        }
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), Set.of(endpoints));
        // Tomcat runs filters only for requests mapped to a servlet.
        Tomcat.addServlet(context, "default", new HttpServlet() { });
        context.addServletMappingDecoded("/", "default");
        declare.accept(context);
        tomcat.start();
        return new EmbeddedTomcat(tomcat, context, connector.getLocalPort());
    }

    void stop() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
