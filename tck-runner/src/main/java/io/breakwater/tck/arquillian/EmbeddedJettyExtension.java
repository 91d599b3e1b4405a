package io.breakwater.tck.arquillian;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/** Registers {@link EmbeddedJettyContainer} with Arquillian (found through {@code ServiceLoader}). */
public final class EmbeddedJettyExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.service(DeployableContainer.class, EmbeddedJettyContainer.class);
    }
}
