package dev.bugtracker.loadbalancing;

import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplierBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Spring Cloud LoadBalancer's default instance list (discovery client, cached) without
 * the ejected instances. For
 * {@code @LoadBalancerClients(defaultConfiguration = OutlierLoadBalancerConfiguration.class)};
 * deliberately not a {@code @Configuration}, so that it lives only in each service's
 * load-balancer context. Applications that build their own list wrap it in
 * {@link OutlierFilteringInstanceListSupplier} instead.
 */
public class OutlierLoadBalancerConfiguration {

	@Bean
	ServiceInstanceListSupplier outlierFilteringInstanceListSupplier(ConfigurableApplicationContext context,
			OutlierDetector detector) {
		ServiceInstanceListSupplierBuilder builder = ServiceInstanceListSupplier.builder();
		builder = (context.getBeanProvider(ReactiveDiscoveryClient.class).getIfAvailable() != null)
				? builder.withDiscoveryClient() : builder.withBlockingDiscoveryClient();
		return new OutlierFilteringInstanceListSupplier(builder.withCaching().build(context), detector);
	}

}
