package dev.bugtracker.gateway.release;

import dev.bugtracker.loadbalancing.OutlierDetector;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires release routing: the policies, their actuator endpoint, the version-aware
 * instance lists of every load-balanced service, and the endpoint that shows them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReleaseProperties.class)
@LoadBalancerClients(defaultConfiguration = ReleaseLoadBalancerConfiguration.class)
class ReleaseRoutingConfiguration {

	@Bean
	ReleasePolicies releasePolicies(ReleaseProperties properties) {
		return new ReleasePolicies(properties.services());
	}

	@Bean
	ReleaseEndpoint releaseEndpoint(ReleasePolicies policies) {
		return new ReleaseEndpoint(policies);
	}

	@Bean
	LoadBalancerEndpoint loadBalancerEndpoint(LoadBalancerClientFactory clients, DiscoveryClient discovery,
			ObjectProvider<OutlierDetector> outliers) {
		return new LoadBalancerEndpoint(clients, discovery, outliers);
	}

}
