package io.breakwater.tck.arquillian;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.eclipse.jetty.ee11.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee11.webapp.Configuration;
import org.eclipse.jetty.ee11.webapp.FragmentConfiguration;
import org.eclipse.jetty.ee11.webapp.JettyWebXmlConfiguration;
import org.eclipse.jetty.ee11.webapp.MetaInfConfiguration;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.ee11.webapp.WebInfConfiguration;
import org.eclipse.jetty.ee11.webapp.WebXmlConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.spi.client.protocol.metadata.Servlet;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ExplodedExporter;
import org.jboss.shrinkwrap.descriptor.api.Descriptor;

/**
 * An Arquillian container that deploys web archives into embedded Jetty 12.1 (ee11) as a plain
 * servlet container: each archive becomes a {@link WebAppContext} with annotation scanning, so that
 * the {@code ServletContainerInitializer}s on the server's class path (Breakwater's) see the
 * archive's {@code @HandlesTypes} classes, and with a web application's class loading (the archive's
 * classes first, the Jakarta APIs and the server's classes from the server).
 */
public final class EmbeddedJettyContainer implements DeployableContainer<EmbeddedJettyConfiguration> {

    private static final Logger LOG = Logger.getLogger(EmbeddedJettyContainer.class.getName());

    private EmbeddedJettyConfiguration configuration;
    private Server server;
    private ServerConnector connector;
    private ContextHandlerCollection contexts;
    private final Map<String, Deployed> deployed = new ConcurrentHashMap<>();
    private final Map<String, Throwable> failures = new ConcurrentHashMap<>();

    private record Deployed(WebAppContext context, Path directory) {
    }

    @Override
    public Class<EmbeddedJettyConfiguration> getConfigurationClass() {
        return EmbeddedJettyConfiguration.class;
    }

    @Override
    public void setup(EmbeddedJettyConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        // The TCK's tests run as clients (testable = false): nothing runs inside the deployment.
        return new ProtocolDescription("Local");
    }

    @Override
    public void start() throws LifecycleException {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost(configuration.getBindAddress());
        connector.setPort(configuration.getBindHttpPort());
        server.addConnector(connector);
        contexts = new ContextHandlerCollection();
        server.setHandler(contexts);
        try {
            server.start();
        } catch (Exception e) {
            throw new LifecycleException("Embedded Jetty did not start", e);
        }
    }

    @Override
    public void stop() throws LifecycleException {
        try {
            server.stop();
        } catch (Exception e) {
            throw new LifecycleException("Embedded Jetty did not stop", e);
        }
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        String contextPath = contextPath(archive.getName());
        Path directory;
        try {
            directory = Files.createTempDirectory("breakwater-deployment-");
        } catch (IOException e) {
            throw new DeploymentException("Cannot create a directory for " + archive.getName(), e);
        }
        Path exploded = archive.as(ExplodedExporter.class).exportExploded(directory.toFile(), "webapp").toPath();
        WebAppContext context = new WebAppContext(exploded.toString(), contextPath);
        context.setConfigurations(new Configuration[] {
            new WebInfConfiguration(), new WebXmlConfiguration(), new MetaInfConfiguration(),
            new FragmentConfiguration(), new AnnotationConfiguration(), new JettyWebXmlConfiguration()});
        // Jetty's webdefault descriptor names listeners of Jetty's own that an application's class loader
        // is not allowed to see from an embedded server; the TCK's applications need none of it.
        context.setDefaultsDescriptor(null);
        context.setThrowUnavailableOnStartupException(true);
        // The server's pass-through extensions the TCK negotiates (Breakwater's servlet integration reads them).
        context.setInitParameter("io.breakwater.server.extensions", String.join(",", configuration.getExtensions()));
        contexts.addHandler(context);
        try {
            context.start();
        } catch (Exception e) {
            // As a servlet container does: the application whose start failed is out of service (its
            // requests get 503), the deployer is told why, and the archive stays deployed until undeployed.
            // The TCK's negative-deployment tests then check that none of its endpoints answers.
            failures.put(archive.getName(), e);
            LOG.log(Level.WARNING, "Deploying " + archive.getName() + " failed", e);
        }
        deployed.put(archive.getName(), new Deployed(context, directory));
        HTTPContext http = new HTTPContext(configuration.getBindAddress(), connector.getLocalPort());
        http.add(new Servlet("default", contextPath));
        return new ProtocolMetaData().addContext(http);
    }

    /** Why the application of {@code archiveName} failed to start, if it did. */
    public Optional<Throwable> deploymentFailure(String archiveName) {
        return Optional.ofNullable(failures.get(archiveName));
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        failures.remove(archive.getName());
        Deployed removed = deployed.remove(archive.getName());
        if (removed == null) {
            return;
        }
        try {
            removed.context().stop();
        } catch (Exception e) {
            throw new DeploymentException("Undeploying " + archive.getName() + " failed", e);
        } finally {
            contexts.removeHandler(removed.context());
            delete(removed.directory());
        }
    }

    @Override
    public void deploy(Descriptor descriptor) {
        throw new UnsupportedOperationException("descriptors are not deployable here");
    }

    @Override
    public void undeploy(Descriptor descriptor) {
        throw new UnsupportedOperationException("descriptors are not deployable here");
    }

    /** {@code name.war} is deployed at {@code /name}, as a servlet container does with a WAR file. */
    static String contextPath(String archiveName) {
        String base = archiveName.endsWith(".war") ? archiveName.substring(0, archiveName.length() - 4) : archiveName;
        return base.isEmpty() || base.equals("ROOT") ? "/" : "/" + base;
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
