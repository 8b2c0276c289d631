package dev.bugtracker.users.security;

import java.time.Clock;

import dev.bugtracker.platform.security.ProblemSecurityHandlers;
import dev.bugtracker.platform.security.Routes;
import dev.bugtracker.platform.security.ScopeRules;
import dev.bugtracker.platform.security.Secrets;
import dev.bugtracker.platform.security.TokenAuthorities;
import dev.bugtracker.platform.web.ProblemWriter;
import dev.bugtracker.users.token.PersonalAccessTokenService;
import dev.bugtracker.users.user.UserService;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * The rules of the users API. Stateless: every request says who it is; no session, so no
 * CSRF token either.
 * <p>
 * A caller authenticates with their email and password (HTTP Basic) or an access token (a
 * JWT of this authorization server, including those the gateway exchanges personal access
 * tokens for).
 * <p>
 * Registration, the set-password link, asking for a reset link and the public profiles
 * are open. Confirming one's address takes the account's credential as well as the
 * emailed link. Being someone ({@code /users/me}, the personal access tokens) takes the
 * account's email and password; granting roles takes the ADMIN role. The gateway's
 * exchange of personal access tokens is open: the token is the credential, checked by the
 * endpoint. Listing and searching users (with their email addresses) takes the ADMIN
 * role; {@code GET /users/{id}} shows others a public profile without the email address.
 * The internal lookups of the other services take a service's access token with the scope
 * {@code users:lookup} ({@code client_credentials}).
 * <p>
 * An access token acts for its user only as far as its scopes allow: reading (the
 * caller's own account and tokens, profiles, the admin's list) takes {@code users:read}
 * or {@code users:write}, changing (tokens, roles) takes {@code users:write}. A password
 * is not limited by scopes. Signing up and setting a password with the emailed link take
 * no credential, whatever the request carries.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LoginThrottleProperties.class)
public class SecurityConfiguration {

	private static final String READ = "users:read";

	private static final String WRITE = "users:write";

	/**
	 * users-service registers bugs-service's client: it does not start without its
	 * secret.
	 */
	@Bean
	InitializingBean serviceClientSecrets(Environment environment) {
		return () -> Secrets.require(environment, "bugtracker.security.clients.bugs-service-secret",
				"BUGS_SERVICE_CLIENT_SECRET", "the secret of bugs-service's client at the authorization server");
	}

	@Bean
	UserDetailsService accountDetailsService(UserService users) {
		return new AccountDetailsService(users);
	}

	@Bean
	LoginThrottle loginThrottle(LoginThrottleProperties properties, ObjectProvider<Clock> clock) {
		return new LoginThrottle(properties, clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	LoginThrottleFilter loginThrottleFilter(LoginThrottle throttle, JsonMapper mapper, MeterRegistry meters) {
		return new LoginThrottleFilter(throttle, new ProblemWriter(mapper), meters);
	}

	/** Only in the security filter chains, not as a filter of its own. */
	@Bean
	FilterRegistrationBean<LoginThrottleFilter> loginThrottleFilterRegistration(LoginThrottleFilter filter) {
		FilterRegistrationBean<LoginThrottleFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setEnabled(false);
		return registration;
	}

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, JsonMapper mapper, LoginThrottleFilter throttle,
			MeterRegistry meters) {
		ProblemSecurityHandlers problems = new ProblemSecurityHandlers(new ProblemWriter(mapper), true, meters);
		AuthorizationManager<RequestAuthorizationContext> read = ScopeRules.tokenNeedsOneOf(READ, WRITE);
		AuthorizationManager<RequestAuthorizationContext> write = ScopeRules.tokenNeedsOneOf(WRITE);
		http.addFilterBefore(throttle, BasicAuthenticationFilter.class)
			.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.httpBasic((basic) -> basic.authenticationEntryPoint(problems))
			.oauth2ResourceServer((resourceServer) -> resourceServer.bearerTokenResolver(accessTokensOnly())
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems)
				.jwt((jwt) -> jwt.jwtAuthenticationConverter(TokenAuthorities.converter())))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			// Each rule covers every method of its paths, so that a method without a
			// handler
			// (HEAD, OPTIONS, a verb the route does not list) meets the same rule before
			// Spring MVC answers 405, and HEAD, which runs the GET handler, the GET's
			// rule.
			// Only the open routes name their method.
			.authorizeHttpRequests((requests) -> requests
				// Signing up (the tutorial's /users/create too) and setting a password
				// with the emailed link.
				.requestMatchers(HttpMethod.POST, "/users", "/users/create", "/users/password", "/users/password/reset")
				.permitAll()
				.requestMatchers("/users/me")
				.access(ScopeRules.allOf(AuthenticatedAuthorizationManager.authenticated(), read))
				// "/users/me/**" also matches "/users/me": after it.
				.requestMatchers("/users/me/**")
				.access(ScopeRules.allOf(AuthenticatedAuthorizationManager.authenticated(), write))
				.requestMatchers(Routes.reads("/auth/tokens", "/auth/tokens/**"))
				.access(ScopeRules.allOf(AuthenticatedAuthorizationManager.authenticated(), read))
				.requestMatchers("/auth/tokens", "/auth/tokens/**")
				.access(ScopeRules.allOf(AuthenticatedAuthorizationManager.authenticated(), write))
				.requestMatchers("/auth/audit", "/auth/audit/**")
				.access(ScopeRules.allOf(AuthorityAuthorizationManager.hasRole("ADMIN"), read))
				.requestMatchers("/users/*/roles/**", "/users/*/disabled")
				.access(ScopeRules.allOf(AuthorityAuthorizationManager.hasRole("ADMIN"), write))
				.requestMatchers("/users")
				.access(ScopeRules.allOf(AuthorityAuthorizationManager.hasRole("ADMIN"), read))
				.requestMatchers(Routes.reads("/users/*"))
				.access(ScopeRules.anonymousOr(read))
				.requestMatchers("/users/**")
				.authenticated()
				.requestMatchers("/internal/users/**", "/internal/credential-cut-offs")
				.hasAuthority("SCOPE_users:lookup")
				.anyRequest()
				.permitAll());
		return http.build();
	}

	/**
	 * Bearer tokens, except personal access tokens: those are exchanged by the gateway
	 * (or checked by the exchange endpoint itself); sent here directly, they authenticate
	 * nobody.
	 */
	private static BearerTokenResolver accessTokensOnly() {
		DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
		return (request) -> {
			String token = bearer.resolve(request);
			return (token != null && token.startsWith(PersonalAccessTokenService.PREFIX)) ? null : token;
		};
	}

}
