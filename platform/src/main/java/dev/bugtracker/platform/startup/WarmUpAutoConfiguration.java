package dev.bugtracker.platform.startup;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * The warm-up of a service's hot paths before it reports ready ({@link WarmUp}); the
 * requests come from {@code bugtracker.warm-up.requests} in the service's configuration.
 */
@AutoConfiguration
@ConditionalOnWebApplication
@EnableConfigurationProperties(WarmUpProperties.class)
public final class WarmUpAutoConfiguration {

	@Bean
	WarmUp warmUp(WarmUpProperties properties, ApplicationContext context, Environment environment) {
		return new WarmUp(properties, context, environment.getProperty("server.address"));
	}

	/** The warm-up's requests are not the service's traffic: no metrics, no traces. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(ObservationPredicate.class)
	static class WarmUpObservations {

		@Bean
		ObservationPredicate warmUpRequestsUnobserved(WarmUp warmUp) {
			return (name, context) -> !(context instanceof ServerRequestObservationContext request
					&& warmUp.isWarmUp(request.getCarrier().getHeader(WarmUp.HEADER)));
		}

	}

}
