package io.breakwater.spring.boot;

import io.breakwater.servlet.BreakwaterServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.web.servlet.ServletContextInitializer;

/**
 * Starts Breakwater in the servlet context of Spring Boot's embedded server. Boot's embedded containers run no
 * {@code ServletContainerInitializer} found in the application's jars, Breakwater's among them; Boot runs its
 * {@link ServletContextInitializer} beans instead, as the web server starts and before any other bean is made.
 * This one hands the {@code breakwater.server.*} properties to Breakwater as context parameters and runs
 * Breakwater's initializer, which publishes the {@code ServerContainer} (so {@code ServerEndpointExporter} finds it
 * when it is made, later) and maps the upgrade filter after the filters Boot registers (Spring Security's among
 * them). Nothing is scanned: {@code @ServerEndpoint} classes are deployed by {@code ServerEndpointExporter}, as with
 * the containers' own implementations under Boot.
 */
public final class BreakwaterServletContextInitializer implements ServletContextInitializer {

    /** The package prefix of Jetty 12.0's Servlet 6.0 environment, the one Spring Boot 3.5 runs. */
    private static final String JETTY_EE10 = "org.eclipse.jetty.ee10.";

    private final Map<String, String> contextParameters;

    BreakwaterServletContextInitializer(Map<String, String> contextParameters) {
        this.contextParameters = Map.copyOf(contextParameters);
    }

    @Override
    public void onStartup(ServletContext context) throws ServletException {
        if (context.getClass().getName().startsWith(JETTY_EE10)) {
            // Every handshake would get 500: Breakwater upgrades on Jetty through Jetty 12.1's ee11 classes
            // (JettyUpgrade), and Jetty 12.0's ee10 HttpServletRequest.upgrade throws "Not implemented".
            throw new ServletException("Breakwater cannot carry WebSocket connections on " + context.getServerInfo()
                    + " (ee10, Servlet 6.0): it needs Jetty 12.1 (ee11), which Spring Boot 4 brings; Spring Boot 3.5"
                    + " brings Jetty 12.0. With Spring Boot 3.5, use Tomcat.");
        }
        for (Map.Entry<String, String> parameter : contextParameters.entrySet()) {
            String name = parameter.getKey();
            String given = context.getInitParameter(name);
            if (!context.setInitParameter(name, parameter.getValue()) && !parameter.getValue().equals(given)) {
                // server.servlet.context-parameters set it too: two places for one setting, neither obviously first.
                throw new ServletException("The Spring Boot property " + BreakwaterServerProperties.propertyFor(name)
                        + " says '" + parameter.getValue() + "', the context parameter " + name + " says '" + given
                        + "': set one of them");
            }
        }
        try {
            new BreakwaterServletContainerInitializer().onStartup(Set.of(), context);
        } catch (ServletException refused) {
            throw new ServletException(withProperty(refused.getMessage()), refused);
        }
    }

    /** Breakwater's message names the context parameter; a Boot user set a property. */
    private String withProperty(String message) {
        if (message != null) {
            for (String name : contextParameters.keySet()) {
                if (message.contains(name)) {
                    return message + " (set by the Spring Boot property " + BreakwaterServerProperties.propertyFor(name)
                            + ")";
                }
            }
        }
        return message;
    }
}
