package io.breakwater.benchmarks.server.breakwatertomcat;

import io.breakwater.benchmarks.server.echo.EchoEndpoint;
import io.breakwater.benchmarks.server.echo.Listening;
import io.breakwater.servlet.BreakwaterServletContainerInitializer;
import java.nio.file.Files;
import java.util.Set;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;

/**
 * The echo endpoint on Breakwater in embedded Tomcat 11 (NIO connector, Tomcat's WebSocket jar absent),
 * deployed through Breakwater's {@code ServletContainerInitializer} as a WAR would be; Breakwater takes
 * Tomcat's own upgrade there. The same connector settings as the {@code tomcat} server, so that the two
 * differ only in the WebSocket provider.
 */
public final class BreakwaterTomcatEchoServer {

    private BreakwaterTomcatEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("breakwater-tomcat-echo").toString());
        Connector connector = new Connector();
        connector.setPort(Listening.requestedPort(args));
        connector.setProperty("address", Listening.HOST);
        // As for the tomcat server: room for the idle-connections scenario's 10,000.
        connector.setProperty("maxConnections", "20000");
        tomcat.setConnector(connector);
        Context application = tomcat.addContext("", null);
        application.addServletContainerInitializer(new BreakwaterServletContainerInitializer(),
                Set.of(EchoEndpoint.class));
        // Tomcat runs filters (Breakwater's upgrade filter among them) only for requests mapped to a servlet.
        Tomcat.addServlet(application, "default", new DefaultServlet());
        application.addServletMappingDecoded("/", "default");
        tomcat.start();
        Listening.announce(connector.getLocalPort());
        tomcat.getServer().await();
    }
}
