package dev.bugtracker.gateway.release;

import dev.bugtracker.loadbalancing.OutlierDetector;
import dev.bugtracker.loadbalancing.OutlierFilteringInstanceListSupplier;

import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The instance list of every load-balanced service: Spring Cloud LoadBalancer's default
 * (discovery client, cached), without the instances whose connections just failed
 * (passive outlier detection, so that a retry goes to another instance), narrowed by
 * version. Registered through {@code @LoadBalancerClients}; deliberately not a
 * {@code @Configuration}, so that it lives only in each service's load-balancer context.
 */
class ReleaseLoadBalancerConfiguration {

	@Bean
	ServiceInstanceListSupplier releaseAwareInstanceListSupplier(ConfigurableApplicationContext context,
			ReleasePolicies policies, ReleaseProperties properties, OutlierDetector outliers) {
		ServiceInstanceListSupplier instances = ServiceInstanceListSupplier.builder()
			.withDiscoveryClient()
			.withCaching()
			.build(context);
		return new VersionSplittingInstanceListSupplier(new OutlierFilteringInstanceListSupplier(instances, outliers),
				policies, properties.pinHeader());
	}

}
