package dev.bugtracker.gateway.release;

import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The instance list of every load-balanced service: Spring Cloud LoadBalancer's default
 * (discovery client, cached), narrowed by version. Registered through
 * {@code @LoadBalancerClients}; deliberately not a {@code @Configuration}, so that it
 * lives only in each service's load-balancer context.
 */
class ReleaseLoadBalancerConfiguration {

	@Bean
	ServiceInstanceListSupplier releaseAwareInstanceListSupplier(ConfigurableApplicationContext context,
			ReleasePolicies policies, ReleaseProperties properties) {
		ServiceInstanceListSupplier instances = ServiceInstanceListSupplier.builder()
			.withDiscoveryClient()
			.withCaching()
			.build(context);
		return new VersionSplittingInstanceListSupplier(instances, policies, properties.pinHeader());
	}

}
