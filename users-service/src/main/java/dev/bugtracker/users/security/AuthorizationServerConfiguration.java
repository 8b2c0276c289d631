package dev.bugtracker.users.security;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import dev.bugtracker.platform.security.AccessTokenDecoders;
import dev.bugtracker.platform.security.Audiences;
import dev.bugtracker.platform.security.CredentialCutOffs;
import dev.bugtracker.platform.security.CutOffCheckingJwtDecoder;
import dev.bugtracker.platform.security.Secrets;
import dev.bugtracker.platform.security.ServiceTokens;
import dev.bugtracker.users.user.AccountProperties;
import dev.bugtracker.users.user.CredentialVersions;
import dev.bugtracker.users.user.RevokedAccessTokens;
import dev.bugtracker.users.user.User;
import dev.bugtracker.users.user.UserService;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.session.autoconfigure.DefaultCookieSerializerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * The OAuth2 authorization server, inside users-service, which owns the accounts
 * (docs/adr/0003-authorization-server-in-users-service.md): Spring Security's
 * authorization server with its standard endpoints, OpenID Connect, the login page,
 * authorizations in the database (a code issued by one instance is exchanged at another),
 * and tokens signed by the {@link SigningKeys}, which rotate.
 * <p>
 * The clients and the issuer (the public URL: the gateway's) come from
 * {@code spring.security.oauth2.authorizationserver.*} in configs/users-service.yml.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SigningKeyProperties.class)
class AuthorizationServerConfiguration {

	/** The standard endpoints; HTML requests without a login go to the login page. */
	@Bean
	@Order(1)
	SecurityFilterChain authorizationServerSecurity(HttpSecurity http) {
		http.oauth2AuthorizationServer((server) -> {
			http.securityMatcher(server.getEndpointsMatcher());
			server.oidc(Customizer.withDefaults());
			server.authorizationEndpoint((endpoint) -> endpoint.authenticationProviders(
					(providers) -> providers.forEach(AuthorizationServerConfiguration::exactRedirectUris)));
		})
			.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			// The OpenID Connect user info endpoint takes the access token.
			.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()))
			.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(
					new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
		return http.build();
	}

	/**
	 * The login page of the authorization code flow, with the session it starts (kept in
	 * the database by Spring Session, so that every instance knows it).
	 */
	@Bean
	@Order(2)
	SecurityFilterChain loginSecurity(HttpSecurity http, LoginThrottleFilter throttle) {
		http.securityMatcher("/login", "/logout", "/default-ui.css")
			.addFilterBefore(throttle, UsernamePasswordAuthenticationFilter.class)
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.formLogin(Customizer.withDefaults())
			.logout(Customizer.withDefaults());
		return http.build();
	}

	/**
	 * A redirect URI must be one of the client's, character for character. Spring's
	 * default lets a loopback address take any port (RFC 8252, for native apps); this
	 * system's clients are web applications with fixed addresses, and any other program
	 * on a person's machine could listen on another port for their code.
	 */
	private static void exactRedirectUris(AuthenticationProvider provider) {
		if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codeRequests) {
			Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> exact = (context) -> {
				OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
				String requested = request.getRedirectUri();
				if (requested != null && !context.getRegisteredClient().getRedirectUris().contains(requested)) {
					// Without the request as the result, the error goes to the browser,
					// never to the unregistered address.
					throw new OAuth2AuthorizationCodeRequestAuthenticationException(
							new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
									"OAuth 2.0 Parameter: " + OAuth2ParameterNames.REDIRECT_URI,
									"https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2.1"),
							null);
				}
			};
			codeRequests
				.setAuthenticationValidator(exact.andThen(new OAuth2AuthorizationCodeRequestAuthenticationValidator()));
		}
	}

	/**
	 * The login session's cookie is {@code Secure} whenever people reach the system over
	 * HTTPS ({@code PUBLIC_URL}): behind a proxy that ends TLS, the request users-service
	 * sees is plain HTTP and cannot tell.
	 */
	@Bean
	DefaultCookieSerializerCustomizer secureSessionCookie(AccountProperties accounts) {
		boolean https = "https".equalsIgnoreCase(accounts.publicUrl().getScheme());
		return (serializer) -> {
			if (https) {
				serializer.setUseSecureCookie(true);
			}
		};
	}

	@Bean
	SigningKeys signingKeys(JdbcClient jdbc, Clock clock, SigningKeyProperties properties, Environment environment) {
		String secret = Secrets.require(environment, "bugtracker.security.signing-keys.encryption-secret",
				"SIGNING_KEYS_SECRET",
				"the secret that the token signing keys' private halves are encrypted with in the database");
		List<String> previous = List
			.of(environment.getProperty("bugtracker.security.signing-keys.previous-encryption-secrets", "").split(","));
		return new SigningKeys(jdbc, clock, properties, SigningKeyCipher.of(secret, previous));
	}

	@Bean
	SigningKeyRefresher signingKeyRefresher(SigningKeys keys, SigningKeyProperties properties) {
		return new SigningKeyRefresher(keys, properties);
	}

	/**
	 * Checks the access tokens sent to users-service itself (and to the user info
	 * endpoint): signed by one of the published keys, issued here, not expired;
	 * remembered once accepted, until they expire.
	 */
	@Bean
	JwtDecoder jwtDecoder(SigningKeys keys, AuthorizationServerSettings settings, CredentialCutOffs cutOffs) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys).build();
		decoder.setJwtValidator(AccessTokenDecoders.validator(settings.getIssuer(), "users-service"));
		return new CutOffCheckingJwtDecoder(AccessTokenDecoders.cached(decoder), cutOffs);
	}

	/**
	 * The accounts cut off lately, read from the database that every users-service
	 * instance shares, every {@code bugtracker.security.cut-offs.poll-interval}: a token
	 * issued before its owner's cut-off is refused here within that time, as at the other
	 * services.
	 */
	@Bean
	CredentialCutOffs credentialCutOffs(CredentialVersions versions, Environment environment, Clock clock,
			MeterRegistry meters) {
		return new CredentialCutOffs(versions::since, CredentialCutOffs.pollInterval(environment), clock).start(meters);
	}

	/**
	 * Authorizations in the database; an access token invalidated before it expires (a
	 * revocation) is published to the services too.
	 */
	@Bean
	OAuth2AuthorizationService authorizationService(JdbcOperations jdbc, RegisteredClientRepository clients,
			RevokedAccessTokens revoked) {
		return new RevocationPublishingAuthorizationService(new JdbcOAuth2AuthorizationService(jdbc, clients), revoked);
	}

	@Bean
	JwtEncoder jwtEncoder(SigningKeys keys) {
		return new NimbusJwtEncoder(keys);
	}

	@Bean
	AccessTokens accessTokens(JwtEncoder encoder, SigningKeys keys, UserService users, CredentialVersions versions,
			AuthorizationServerSettings settings) {
		return new AccessTokens(encoder, keys, users, versions, settings.getIssuer());
	}

	/** users-service's own tokens, for its outbox's calls to notificator. */
	@Bean
	ServiceTokens serviceTokens(AccessTokens tokens, Clock clock) {
		return new LocalServiceTokens(tokens, clock);
	}

	/**
	 * Every token names its signing key. A user's token has the user's id as subject (an
	 * email can change), their email, their roles and credentials version, and is for the
	 * API behind the gateway; a client's token has the client id, and is for the services
	 * its scopes reach ({@link Audiences}).
	 */
	@Bean
	OAuth2TokenCustomizer<JwtEncodingContext> tokenClaims(SigningKeys keys, UserService users,
			AccessTokens accessTokens) {
		return (context) -> {
			context.getJwsHeader().keyId(keys.activeKeyId());
			if (context.getPrincipal().getPrincipal() instanceof UserDetails account) {
				User user = users.findByEmail(account.getUsername()).orElseThrow();
				context.getClaims().subject(String.valueOf(user.getId()));
				accessTokens.claimsOf(user).forEach(context.getClaims()::claim);
				if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
					// An ID token's audience stays the client it was issued to.
					context.getClaims().audience(Audiences.ofPeople());
				}
			}
			else if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
				context.getClaims().audience(Audiences.ofScopes(context.getAuthorizedScopes()));
			}
		};
	}

}
