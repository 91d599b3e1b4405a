package io.breakwater.benchmarks.server.tyrus;

import io.breakwater.benchmarks.server.echo.EchoEndpoint;
import io.breakwater.benchmarks.server.echo.Listening;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;
import org.glassfish.tyrus.ext.extension.deflate.PerMessageDeflateExtension;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;

/**
 * The echo endpoint on Tyrus 2.2 standalone (Grizzly). Tyrus installs no extension of its own, and an
 * annotated endpoint has no list of them: its configurator has to answer a client's permessage-deflate
 * offer with Tyrus's extension, hence the subclass.
 */
public final class TyrusEchoServer {

    private TyrusEchoServer() {
    }

    @ServerEndpoint(value = "/echo", configurator = DeflateConfigurator.class)
    public static class DeflatingEchoEndpoint extends EchoEndpoint {
    }

    public static class DeflateConfigurator extends ServerEndpointConfig.Configurator {
        @Override
        public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            for (Extension offer : requested) {
                if (offer.getName().equals("permessage-deflate")) {
                    return List.of(new PerMessageDeflateExtension());
                }
            }
            return List.of();
        }
    }

    public static void main(String[] args) throws Exception {
        // The container rather than Tyrus's Server class, which takes port 0 to mean its default, 8025.
        // Its Grizzly listener binds every interface.
        ServerContainer tyrus = ServerContainerFactory.createServerContainer(Map.of());
        tyrus.addEndpoint(DeflatingEchoEndpoint.class);
        tyrus.start("/", Listening.requestedPort(args));
        Listening.announce(((TyrusServerContainer) tyrus).getPort());
        Thread.currentThread().join();
    }
}
