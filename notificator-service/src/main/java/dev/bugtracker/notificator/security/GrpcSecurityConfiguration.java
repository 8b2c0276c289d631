package dev.bugtracker.notificator.security;

import dev.bugtracker.platform.security.AccessTokenDecoders;
import dev.bugtracker.platform.security.TokenAuthorities;

import org.springframework.cloud.client.loadbalancer.LoadBalancerInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.security.AuthenticationProcessInterceptor;
import org.springframework.grpc.server.security.GrpcSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may have notificator send email: a service with an access token of users-service's
 * authorization server that carries the scope {@code notifications:send} (users-service
 * and bugs-service, through their outboxes). Spring gRPC's server security answers a call
 * without a token, or with an invalid, expired or foreign one, with
 * {@code UNAUTHENTICATED}, and one without the scope with {@code PERMISSION_DENIED}.
 * <p>
 * notificator's HTTP port serves the actuator only, which no token guards here: the
 * gateway does not route it (docs/operations.md).
 */
@Configuration(proxyBeanMethods = false)
public class GrpcSecurityConfiguration {

	/** The scope a service's token needs to send email. */
	public static final String SEND = "SCOPE_notifications:send";

	@Bean
	@GlobalServerInterceptor
	AuthenticationProcessInterceptor serviceTokensOnly(GrpcSecurity grpc, JwtDecoder tokens) throws Exception {
		return grpc.authorizeRequests(
				(requests) -> requests.methods("grpc.health.v1.Health/*").permitAll().allRequests().hasAuthority(SEND))
			.oauth2ResourceServer((resourceServer) -> resourceServer
				.jwt((jwt) -> jwt.decoder(tokens).jwtAuthenticationConverter(TokenAuthorities.converter())))
			.build();
	}

	@Bean
	JwtDecoder jwtDecoder(Environment environment, LoadBalancerInterceptor loadBalancer) {
		return AccessTokenDecoders.fromAuthorizationServer(environment, loadBalancer);
	}

	@Bean
	SecurityFilterChain actuatorOnly(HttpSecurity http) {
		http.csrf(AbstractHttpConfigurer::disable)
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
		return http.build();
	}

}
