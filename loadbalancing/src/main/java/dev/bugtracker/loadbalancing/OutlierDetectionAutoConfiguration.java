package dev.bugtracker.loadbalancing;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@link OutlierDetector} and the lifecycle that feeds it. Each application puts
 * {@link OutlierFilteringInstanceListSupplier} into its load-balancer contexts, for
 * example through {@link OutlierLoadBalancerConfiguration}.
 */
@AutoConfiguration
@EnableConfigurationProperties(OutlierDetectionProperties.class)
public class OutlierDetectionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OutlierDetector outlierDetector(OutlierDetectionProperties properties, ObjectProvider<Clock> clock,
			ObjectProvider<MeterRegistry> meters) {
		return new OutlierDetector(properties, clock.getIfAvailable(Clock::systemUTC),
				(serviceId) -> meters
					.ifAvailable((registry) -> registry.counter("loadbalancer.outlier.ejections", "service", serviceId)
						.increment()));
	}

	@Bean
	OutlierDetectingLifecycle outlierDetectingLifecycle(OutlierDetector detector) {
		return new OutlierDetectingLifecycle(detector);
	}

}
