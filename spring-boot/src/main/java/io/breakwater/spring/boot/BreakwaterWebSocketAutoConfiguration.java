package io.breakwater.spring.boot;

import io.breakwater.servlet.BreakwaterServletContainerInitializer;
import java.util.Optional;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWarDeployment;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Makes Breakwater the Jakarta WebSocket provider of Spring Boot's embedded servlet container (Tomcat, Jetty or
 * another): {@link BreakwaterServletContextInitializer} starts it in the server's servlet context, where
 * {@code ServerEndpointExporter} and Spring's {@code StandardWebSocketUpgradeStrategy} find its
 * {@code ServerContainer}. It steps aside, with a warning that names the jar to exclude, when Boot installs the
 * container's own implementation ({@link OtherWebSocketProvider}). A WAR deployed to a servlet container needs
 * none of this: the container runs Breakwater's initializer from the jar, and reads its settings from the context
 * parameters.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({BreakwaterServletContainerInitializer.class, ServletContextInitializer.class})
@ConditionalOnNotWarDeployment
public class BreakwaterWebSocketAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @Conditional(NoOtherProvider.class)
    @EnableConfigurationProperties(BreakwaterServerProperties.class)
    static class Install {

        @Bean
        BreakwaterServletContextInitializer breakwaterServletContextInitializer(BreakwaterServerProperties properties) {
            return new BreakwaterServletContextInitializer(properties.contextParameters());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(OtherProviderPresent.class)
    static class StepAside {

        private static final System.Logger LOG = System.getLogger(BreakwaterWebSocketAutoConfiguration.class.getName());

        /** Says so once the application is up, where a user who added the starter will look for why it did nothing. */
        @Bean
        SmartInitializingSingleton breakwaterStepsAside(ConfigurableApplicationContext application) {
            return () -> OtherWebSocketProvider.present(application.getClassLoader())
                    .ifPresent(provider -> LOG.log(System.Logger.Level.WARNING, provider.backOffMessage()));
        }
    }

    /** Matches when no container's own implementation is on the class path. */
    static final class NoOtherProvider extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Optional<OtherWebSocketProvider> other = OtherWebSocketProvider.present(context.getClassLoader());
            return other.map(provider -> ConditionOutcome.noMatch(provider.backOffMessage()))
                    .orElseGet(() -> ConditionOutcome.match("no servlet container's own WebSocket implementation"
                            + " is on the class path"));
        }
    }

    /** Matches when Boot installs a container's own implementation. */
    static final class OtherProviderPresent extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return OtherWebSocketProvider.present(context.getClassLoader())
                    .map(provider -> ConditionOutcome.match(provider.backOffMessage()))
                    .orElseGet(() -> ConditionOutcome.noMatch("no servlet container's own WebSocket implementation"
                            + " is on the class path"));
        }
    }
}
