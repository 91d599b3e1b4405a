package io.breakwater.tck.arquillian;

import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

/**
 * Settings of the embedded Jetty container, from {@code arquillian.xml}: the address and port it
 * listens on (port 0 picks a free one).
 */
public final class EmbeddedJettyConfiguration implements ContainerConfiguration {

    private String bindAddress = "127.0.0.1";
    private int bindHttpPort;
    /** Pass-through extensions the server installs: those the TCK's tests negotiate. */
    private String extensions = "ext1,ext2,firstExtName,secondExtName,thirdExtName";

    @Override
    public void validate() throws ConfigurationException {
        if (bindHttpPort < 0 || bindHttpPort > 65_535) {
            throw new ConfigurationException("bindHttpPort must be between 0 and 65535, not " + bindHttpPort);
        }
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new ConfigurationException("bindAddress must be set");
        }
    }

    public java.util.List<String> getExtensions() {
        return java.util.Arrays.stream(extensions.split(",")).map(String::trim).filter(name -> !name.isEmpty()).toList();
    }

    public void setExtensions(String extensions) {
        this.extensions = extensions;
    }

    public String getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    public int getBindHttpPort() {
        return bindHttpPort;
    }

    public void setBindHttpPort(int bindHttpPort) {
        this.bindHttpPort = bindHttpPort;
    }
}
