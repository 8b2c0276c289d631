package dev.bugtracker.bugs.users;

import dev.bugtracker.loadbalancing.OutlierLoadBalancerConfiguration;
import feign.Retryer;

import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Enables the Feign client to users-service, load-balanced over instances that have not
 * just failed (passive outlier detection), with lookups retried on another instance when
 * a connection fails.
 */
@Configuration(proxyBeanMethods = false)
@EnableFeignClients(clients = UsersClient.class)
@LoadBalancerClients(defaultConfiguration = OutlierLoadBalancerConfiguration.class)
class UsersClientConfiguration {

	/** Three attempts: two instances failing at once is rare, three rarer. */
	@Bean
	Retryer connectionFailureRetryer() {
		return new ConnectionFailureRetryer(3);
	}

}
