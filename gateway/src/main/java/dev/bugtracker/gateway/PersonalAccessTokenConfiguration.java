package dev.bugtracker.gateway;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerExchangeFilterFunction;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The exchange of personal access tokens at the edge
 * ({@link PersonalAccessTokenExchangeFilter}), with a client of users-service that finds
 * it through the registry, like the routes do (and with the same outlier detection).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EdgeProperties.class)
class PersonalAccessTokenConfiguration {

	@Bean
	PersonalAccessTokenExchangeFilter personalAccessTokenExchangeFilter(
			ReactorLoadBalancerExchangeFilterFunction loadBalancer, JsonMapper mapper, EdgeProperties edge) {
		WebClient users = WebClient.builder().baseUrl("http://users-service").filter(loadBalancer).build();
		return new PersonalAccessTokenExchangeFilter(users, mapper, edge.personalAccessTokenCache());
	}

}
