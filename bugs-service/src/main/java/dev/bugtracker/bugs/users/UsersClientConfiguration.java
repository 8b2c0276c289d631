package dev.bugtracker.bugs.users;

import dev.bugtracker.loadbalancing.OutlierLoadBalancerConfiguration;
import dev.bugtracker.platform.security.ServiceTokens;
import feign.RequestInterceptor;
import feign.Retryer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.converter.autoconfigure.ClientHttpMessageConvertersCustomizer;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.openfeign.support.FeignHttpMessageConverters;
import org.springframework.cloud.openfeign.support.HttpMessageConverterCustomizer;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;

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

	/**
	 * Every lookup carries bugs-service's own access token: users-service answers its
	 * internal lookups (with email addresses) to services only. The caller's token is not
	 * relayed: a lookup is bugs-service's need, not the user's, and the outbox makes some
	 * long after the user's token expired.
	 */
	@Bean
	RequestInterceptor serviceToken(ServiceTokens tokens) {
		return (template) -> template.header(HttpHeaders.AUTHORIZATION, "Bearer " + token(tokens));
	}

	/**
	 * The token, fetched from users-service itself: with no instance registered, the
	 * lookup fails the same way as without a token to fetch (and does not count against
	 * the breaker).
	 */
	private static String token(ServiceTokens tokens) {
		try {
			return tokens.accessToken();
		}
		catch (RuntimeException ex) {
			for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
				if (cause instanceof IllegalStateException && cause.getMessage() != null
						&& cause.getMessage().startsWith("No instances available for")) {
					throw new NoUsersServiceInstanceException("no instance of users-service is registered", ex);
				}
			}
			throw ex;
		}
	}

	/** Three attempts: two instances failing at once is rare, three rarer. */
	@Bean
	Retryer connectionFailureRetryer() {
		return new ConnectionFailureRetryer(3);
	}

}
