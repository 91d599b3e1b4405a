package io.breakwater.benchmarks.server.undertow;

import io.breakwater.benchmarks.server.echo.EchoEndpoint;
import io.breakwater.benchmarks.server.echo.Listening;
import io.undertow.Undertow;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.websockets.extensions.PerMessageDeflateHandshake;
import io.undertow.websockets.jsr.WebSocketDeploymentInfo;
import java.net.InetSocketAddress;

/**
 * The echo endpoint on Undertow 2.3 (Jakarta WebSocket 2.1) as a servlet deployment, with Undertow's
 * permessage-deflate extension added, since none is installed by default.
 */
public final class UndertowEchoServer {

    /** Undertow's own default for a server with more than 128 MiB of heap. */
    private static final int BUFFER_SIZE = 16 * 1024;

    private UndertowEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        WebSocketDeploymentInfo websockets = new WebSocketDeploymentInfo()
                .setBuffers(new DefaultByteBufferPool(true, BUFFER_SIZE))
                .addEndpoint(EchoEndpoint.class)
                .addExtension(new PerMessageDeflateHandshake());
        DeploymentInfo deployment = Servlets.deployment()
                .setClassLoader(UndertowEchoServer.class.getClassLoader())
                .setContextPath("/")
                .setDeploymentName("echo")
                .addServletContextAttribute(WebSocketDeploymentInfo.ATTRIBUTE_NAME, websockets);
        DeploymentManager manager = Servlets.defaultContainer().addDeployment(deployment);
        manager.deploy();
        Undertow undertow = Undertow.builder()
                .addHttpListener(Listening.requestedPort(args), Listening.HOST)
                .setHandler(manager.start())
                .build();
        undertow.start();
        InetSocketAddress bound = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        Listening.announce(bound.getPort());
        Thread.currentThread().join();
    }
}
