package dev.bugtracker.bugs.security;

import java.time.Clock;

import dev.bugtracker.platform.security.AccessTokenDecoders;
import dev.bugtracker.platform.security.CredentialCutOffs;
import dev.bugtracker.platform.security.CutOffCheckingJwtDecoder;
import dev.bugtracker.platform.security.ProblemSecurityHandlers;
import dev.bugtracker.platform.security.Routes;
import dev.bugtracker.platform.security.ScopeRules;
import dev.bugtracker.platform.security.ServiceTokens;
import dev.bugtracker.platform.security.TokenAuthorities;
import dev.bugtracker.platform.web.ProblemWriter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.LoadBalancerInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * The rules of the bugs API. bugs-service is an OAuth2 resource server: a request is
 * authenticated by an access token of users-service's authorization server (the gateway
 * exchanges personal access tokens for such tokens), checked against the keys
 * users-service publishes and the public URL as issuer. Stateless: no session, so no CSRF
 * token either.
 * <ul>
 * <li>Reading (GET) takes a token with the scope {@code bugs:read} or {@code bugs:write},
 * or none where {@code bugtracker.security.public-read} is on.</li>
 * <li>Every change takes a token with the scope {@code bugs:write}; the tutorial's
 * {@code POST /bugs/create} also takes none where
 * {@code bugtracker.security.anonymous-reports} is on.</li>
 * <li>Who may change which bug or comment (reporter, assignee, author, MAINTAINER, ADMIN)
 * is decided on the bug itself, in the domain ({@code Actor}).</li>
 * <li>The OpenAPI description, health, info and metrics stay open here; the gateway does
 * not route metrics.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

	private static final String READ = "SCOPE_bugs:read";

	private static final String WRITE = "SCOPE_bugs:write";

	@Bean
	SecurityFilterChain bugsSecurity(HttpSecurity http, SecurityProperties properties, JsonMapper mapper,
			MeterRegistry meters) {
		ProblemSecurityHandlers problems = new ProblemSecurityHandlers(new ProblemWriter(mapper), false, meters);
		AuthorizationManager<RequestAuthorizationContext> read = AuthorityAuthorizationManager.hasAnyAuthority(READ,
				WRITE);
		AuthorizationManager<RequestAuthorizationContext> write = AuthorityAuthorizationManager.hasAuthority(WRITE);
		http.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.oauth2ResourceServer((resourceServer) -> resourceServer.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems)
				.jwt((jwt) -> jwt.jwtAuthenticationConverter(TokenAuthorities.converter()))
				.withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
					@Override
					public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
						// A token that cannot be checked (no keys) is a 503, not a 500.
						filter.setAuthenticationFailureHandler(problems);
						return filter;
					}
				}))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/actuator/**", "/error")
						.permitAll()
						.requestMatchers(HttpMethod.POST, "/bugs/create")
						.access(properties.anonymousReports() ? ScopeRules.anonymousOr(write) : write)
						// HEAD runs the GET handler: it is a read, not a write.
						.requestMatchers(Routes.reads("/bugs", "/bugs/**"))
						.access(properties.publicRead() ? ScopeRules.anonymousOr(read) : read)
						.requestMatchers("/bugs", "/bugs/**")
						.access(write)
						.anyRequest()
						.authenticated());
		return http.build();
	}

	/**
	 * Access tokens of users-service's authorization server
	 * ({@link AccessTokenDecoders}), except those of users whose credentials were cut off
	 * after the token was issued ({@link CredentialCutOffs}).
	 */
	@Bean
	JwtDecoder jwtDecoder(Environment environment, LoadBalancerInterceptor loadBalancer, CredentialCutOffs cutOffs) {
		return new CutOffCheckingJwtDecoder(AccessTokenDecoders.fromAuthorizationServer(environment, loadBalancer),
				cutOffs);
	}

	/**
	 * The accounts cut off lately, fetched from users-service every
	 * {@code bugtracker.security.cut-offs.poll-interval} with this service's own token.
	 */
	@Bean
	CredentialCutOffs credentialCutOffs(Environment environment, LoadBalancerInterceptor loadBalancer,
			ServiceTokens tokens, MeterRegistry meters) {
		return new CredentialCutOffs(CredentialCutOffs.fromUsersService(environment, loadBalancer, tokens),
				CredentialCutOffs.pollInterval(environment), Clock.systemUTC())
			.start(meters);
	}

}
