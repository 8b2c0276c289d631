package dev.bugtracker.gateway.release;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires release routing: the policies, their actuator endpoint, and the version-aware
 * instance lists of every load-balanced service.
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

}
