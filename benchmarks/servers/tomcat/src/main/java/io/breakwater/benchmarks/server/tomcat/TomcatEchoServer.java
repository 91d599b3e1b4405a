package io.breakwater.benchmarks.server.tomcat;

import io.breakwater.benchmarks.server.echo.EchoEndpoint;
import io.breakwater.benchmarks.server.echo.Listening;
import java.nio.file.Files;
import java.util.Set;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * The echo endpoint on embedded Tomcat 11 (NIO connector) and its own WebSocket implementation, which
 * negotiates permessage-deflate by default.
 */
public final class TomcatEchoServer {

    private TomcatEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat-echo").toString());
        Connector connector = new Connector();
        connector.setPort(Listening.requestedPort(args));
        connector.setProperty("address", Listening.HOST);
        // Tomcat accepts 8,192 connections by default and leaves the rest in the accept queue; the
        // idle-connections scenario opens 10,000. The other servers have no such limit by default.
        connector.setProperty("maxConnections", "20000");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        context.addServletContainerInitializer(new WsSci(), Set.of(EchoEndpoint.class));
        // Tomcat runs filters (the upgrade is WsFilter) only for requests mapped to a servlet.
        Tomcat.addServlet(context, "default", new DefaultServlet());
        context.addServletMappingDecoded("/", "default");
        tomcat.start();
        Listening.announce(connector.getLocalPort());
        tomcat.getServer().await();
    }
}
