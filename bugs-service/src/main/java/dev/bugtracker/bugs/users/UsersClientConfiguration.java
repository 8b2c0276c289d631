package dev.bugtracker.bugs.users;

import dev.bugtracker.loadbalancing.OutlierLoadBalancerConfiguration;
import feign.Retryer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.converter.autoconfigure.ClientHttpMessageConvertersCustomizer;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.openfeign.support.FeignHttpMessageConverters;
import org.springframework.cloud.openfeign.support.HttpMessageConverterCustomizer;
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

	/**
	 * Feign's message converters, built now on one thread. Spring Cloud OpenFeign builds
	 * them lazily on first use without synchronisation (spring-cloud-openfeign #1371,
	 * #1307): the first concurrent lookups of a fresh instance failed with
	 * "DecodeException: 'messageConverters' must not be empty" (seen in KillUnderLoadIT).
	 * Its own bean steps back for this one.
	 */
	@Bean
	FeignHttpMessageConverters feignHttpMessageConverters(
			ObjectProvider<ClientHttpMessageConvertersCustomizer> customizers,
			ObjectProvider<HttpMessageConverterCustomizer> cloudCustomizers) {
		FeignHttpMessageConverters converters = new FeignHttpMessageConverters(customizers, cloudCustomizers);
		converters.getConverters();
		return converters;
	}

	/** Three attempts: two instances failing at once is rare, three rarer. */
	@Bean
	Retryer connectionFailureRetryer() {
		return new ConnectionFailureRetryer(3);
	}

}
