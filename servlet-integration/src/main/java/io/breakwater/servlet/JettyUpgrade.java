package io.breakwater.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;

/**
 * The upgrade on Jetty 12.1 (ee11), through Jetty's own connection upgrade: the filter hands Jetty a
 * {@link JettyTunnel} as the request's upgrade connection, and Jetty installs it on the socket once
 * the 101 response is written, with any bytes it had already read past the request.
 *
 * <p>Why not {@link HttpServletRequest#upgrade}: on Jetty 12.1 (checked with 12.1.1, 12.1.5 and
 * 12.1.14) the upgraded input of a request without {@code Content-Length} reports its end at once (the
 * end of the GET's empty body), and the bytes the client sends next are parsed as a new HTTP request
 * and answered with 400. Browsers send no {@code Content-Length} on a WebSocket handshake.
 *
 * <p>Loaded by name only when Jetty's classes are visible ({@link UpgradeMechanism#forContext}).
 */
final class JettyUpgrade implements UpgradeMechanism {

    JettyUpgrade() {
    }

    @Override
    public boolean upgrade(HttpServletRequest request, HttpServletResponse response, SessionOpening opening) {
        ServletContextRequest jettyRequest;
        try {
            jettyRequest = ServletContextRequest.getServletContextRequest(request);
        } catch (IllegalStateException notJettys) {
            return false;
        }
        if (jettyRequest == null) {
            return false;
        }
        ConnectionMetaData connection = jettyRequest.getConnectionMetaData();
        Connection current = connection.getConnection();
        // RFC 6455 upgrades an HTTP/1.1 connection; anything else is left to the portable mechanism.
        if (connection.getHttpVersion() != HttpVersion.HTTP_1_1 || current == null) {
            return false;
        }
        Connector connector = connection.getConnector();
        JettyTunnel tunnel = new JettyTunnel(current.getEndPoint(), connector.getExecutor(),
                connector.getByteBufferPool(), opening);
        Request.unWrap(jettyRequest).setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, tunnel);
        return true;
    }
}
