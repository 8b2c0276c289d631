package dev.bugtracker.bugs.security;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.bugtracker.platform.security.AccessTokenDecoders;
import dev.bugtracker.platform.security.Secrets;
import dev.bugtracker.platform.security.ServiceTokens;

import org.springframework.cloud.client.loadbalancer.LoadBalancerInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.web.client.RestClient;

/**
 * bugs-service as an OAuth2 client of users-service's authorization server: the client
 * {@code bugs-service} (secret {@code BUGS_SERVICE_CLIENT_SECRET}, required), scopes
 * {@code users:lookup} (the internal users lookups) and {@code notifications:send} (gRPC
 * to notificator). The token endpoint, where the secret is sent, is
 * {@code bugtracker.security.authorization-server-url} plus {@code /oauth2/token} where
 * that is set (k8s: users-service's Kubernetes Service; compose: its service name; so
 * that no registration in the Eureka registry decides where the secret goes), and
 * otherwise reached through the registry, like any call to users-service.
 */
@Configuration(proxyBeanMethods = false)
class ServiceTokenConfiguration {

	@Bean
	ServiceTokens serviceTokens(Environment environment, LoadBalancerInterceptor loadBalancer) {
		String secret = Secrets.require(environment, "bugtracker.security.clients.bugs-service-secret",
				"BUGS_SERVICE_CLIENT_SECRET",
				"the secret bugs-service authenticates with at the authorization server (users-service)");
		String server = AccessTokenDecoders.authorizationServer(environment);
		ClientRegistration registration = ClientRegistration.withRegistrationId(ClientCredentialsTokens.REGISTRATION)
			.clientId("bugs-service")
			.clientSecret(secret)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope("users:lookup", "notifications:send")
			.tokenUri((server != null) ? server + "/oauth2/token" : "http://users-service/oauth2/token")
			.build();
		SimpleAsyncTaskExecutor renewals = new SimpleAsyncTaskExecutor("service-token-");
		renewals.setDaemon(true);
		RestClientClientCredentialsTokenResponseClient tokenEndpoint = tokenResponseClient(
				AccessTokenDecoders.requests(Duration.ofSeconds(2)),
				AccessTokenDecoders.route(environment, loadBalancer));
		return new ClientCredentialsTokens(registration, tokenEndpoint, Clock.systemUTC(), renewals);
	}

	/**
	 * Spring Security's client for the token endpoint, over the given requests (and, in
	 * the service, through the load balancer).
	 */
	static RestClientClientCredentialsTokenResponseClient tokenResponseClient(ClientHttpRequestFactory requests,
			ClientHttpRequestInterceptor... interceptors) {
		RestClient tokenEndpoint = RestClient.builder()
			.requestFactory(requests)
			.requestInterceptors((list) -> list.addAll(List.of(interceptors)))
			.messageConverters((converters) -> {
				converters.clear();
				converters.add(new FormHttpMessageConverter());
				converters.add(new OAuth2AccessTokenResponseHttpMessageConverter());
			})
			.defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
			.build();
		RestClientClientCredentialsTokenResponseClient client = new RestClientClientCredentialsTokenResponseClient();
		client.setRestClient(tokenEndpoint);
		return client;
	}

}
