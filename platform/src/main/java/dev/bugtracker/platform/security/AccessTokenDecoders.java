package dev.bugtracker.platform.security;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.core.env.Environment;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestOperations;
import org.springframework.web.client.RestTemplate;

/**
 * Decoders of the access tokens of users-service's authorization server, for the services
 * that accept them (bugs-service over HTTP, notificator over gRPC).
 * <p>
 * The keys are fetched from {@code bugtracker.security.authorization-server-url} plus
 * {@code /oauth2/jwks} where that is set (k8s: users-service's Kubernetes Service;
 * compose: its service name, every container's address in turn, {@link EveryAddress}; so
 * that no registration in the Eureka registry decides which keys a service trusts), and
 * otherwise from {@code bugtracker.security.jwk-set-uri} (by default users-service's JWKS
 * through the registry, whose registrations take the services' credentials in docker and
 * k8s: any instance, they share the keys); they are cached; a token signed by a key not
 * seen yet makes the decoder fetch them again (users-service publishes a new key an hour
 * before it signs with it). A failed fetch is made once more at another instance
 * ({@link #keySource}). A token must name {@code bugtracker.security.public-url} as its
 * issuer and the service itself as its audience ({@link Audiences}), and not be expired.
 * A token accepted once is remembered until it expires ({@link CachingJwtDecoder}).
 */
public final class AccessTokenDecoders {

	/** Where the signing keys are by default: users-service, through the registry. */
	public static final String DEFAULT_JWK_SET_URI = "http://users-service/oauth2/jwks";

	/** How long fetched signing keys are used before they are fetched again. */
	static final Duration KEYS_CACHED = Duration.ofMinutes(5);

	/** How long before they expire the keys are fetched again, in the background. */
	static final Duration REFRESH_AHEAD = Duration.ofSeconds(30);

	/** How many verified tokens a service remembers at most (a few KB each). */
	public static final int CACHED_TOKENS = 4096;

	private AccessTokenDecoders() {
	}

	/**
	 * @param environment the service's environment
	 * @param loadBalancer resolves {@code http://<service-id>/} through the registry
	 * @return the decoder
	 * @throws IllegalStateException if the public URL is not configured
	 */
	public static JwtDecoder fromAuthorizationServer(Environment environment,
			ClientHttpRequestInterceptor loadBalancer) {
		String issuer = environment.getProperty("bugtracker.security.public-url");
		if (issuer == null || issuer.isBlank()) {
			throw new IllegalStateException("bugtracker.security.public-url is not set: it must be the issuer of the "
					+ "access tokens, the URL people reach the system at (PUBLIC_URL)");
		}
		RestTemplate keys = new RestTemplate(requests(Duration.ofSeconds(2)));
		keys.getInterceptors().add(route(environment, loadBalancer));
		String server = authorizationServer(environment);
		String jwkSetUri = (server != null) ? server + "/oauth2/jwks"
				: environment.getProperty("bugtracker.security.jwk-set-uri", DEFAULT_JWK_SET_URI);
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keySource(jwkSetUri, keys)).build();
		decoder.setJwtValidator(validator(issuer, audience(environment)));
		return cached(decoder);
	}

	/**
	 * @param issuer the issuer a token must name
	 * @param audience the service that checks it, which the token's {@code aud} must name
	 * ({@link Audiences})
	 * @return the checks of an access token's claims: issuer, audience, expiry and
	 * not-before
	 */
	public static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
		return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer),
				new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
						(named) -> named != null && named.contains(audience)));
	}

	/**
	 * @param environment a service's environment
	 * @return the audience the service's tokens must name:
	 * {@code bugtracker.security.audience}, by default the service's name
	 * @throws IllegalStateException if neither is set
	 */
	public static String audience(Environment environment) {
		String audience = environment.getProperty("bugtracker.security.audience",
				environment.getProperty("spring.application.name", ""));
		if (audience.isBlank()) {
			throw new IllegalStateException("Neither bugtracker.security.audience nor spring.application.name is set: "
					+ "a service checks that access tokens name it as their audience");
		}
		return audience;
	}

	/**
	 * @param environment a service's environment
	 * @return {@code bugtracker.security.authorization-server-url} without a trailing
	 * slash: a fixed address of users-service's authorization server, reached without the
	 * registry; or null where it is not set (the registry's users-service instances are
	 * used)
	 * @throws IllegalStateException if it is set but not an absolute http(s) URL
	 */
	public static String authorizationServer(Environment environment) {
		String server = environment.getProperty("bugtracker.security.authorization-server-url");
		if (server == null || server.isBlank()) {
			return null;
		}
		URI uri;
		try {
			uri = URI.create(server.strip());
		}
		catch (IllegalArgumentException ex) {
			uri = null;
		}
		if (uri == null || uri.getHost() == null
				|| !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
			throw new IllegalStateException("bugtracker.security.authorization-server-url (AUTHORIZATION_SERVER_URL) "
					+ "is not an absolute http(s) URL: " + server);
		}
		String value = uri.toString();
		return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
	}

	/**
	 * @param readTimeout how long an answer may take
	 * @return requests for the authorization server's endpoints: a second to connect, the
	 * given time to answer
	 */
	public static SimpleClientHttpRequestFactory requests(Duration readTimeout) {
		SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
		requests.setConnectTimeout(Duration.ofSeconds(1));
		requests.setReadTimeout(readTimeout);
		return requests;
	}

	/**
	 * @param environment the service's environment
	 * @param loadBalancer resolves {@code http://users-service/} through the registry
	 * @return how requests reach the authorization server: where
	 * {@code bugtracker.security.authorization-server-url} is set, at that address, tried
	 * at every address its name resolves to ({@link EveryAddress}); otherwise through the
	 * load balancer
	 */
	public static ClientHttpRequestInterceptor route(Environment environment,
			ClientHttpRequestInterceptor loadBalancer) {
		return (authorizationServer(environment) != null) ? new EveryAddress() : loadBalancer;
	}

	/**
	 * The signing keys at {@code jwkSetUri}, cached for {@link #KEYS_CACHED}. A fetch
	 * that fails (an instance just killed, or starved and not answering within the read
	 * timeout) is made once more, at the load balancer's next instance: without that, the
	 * one request that found the cache expired got a 503 while another instance could
	 * have answered (KillUnderLoadIT, on a loaded machine). The keys are fetched again in
	 * the background in the last {@link #REFRESH_AHEAD} of their time, so that requests
	 * wait on a fetch only when that failed too, or when a token names a key not seen
	 * yet.
	 * @param jwkSetUri where the keys are
	 * @param keys fetches them (load-balanced)
	 * @return the key source
	 */
	static JWKSource<SecurityContext> keySource(String jwkSetUri, RestOperations keys) {
		URL url;
		try {
			url = URI.create(jwkSetUri).toURL();
		}
		catch (MalformedURLException | IllegalArgumentException ex) {
			throw new IllegalStateException("bugtracker.security.jwk-set-uri is not a URL: " + jwkSetUri, ex);
		}
		return JWKSourceBuilder.<SecurityContext>create(url, new JwkSetRetriever(keys))
			.cache(KEYS_CACHED.toMillis(), JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
			.refreshAheadCache(REFRESH_AHEAD.toMillis(), false)
			.retrying(true)
			// A token naming a key not seen yet fetches the keys at once (users-service
			// publishes a key before it signs with it, so this is rare), as Spring
			// Security's own JWK source does.
			.rateLimited(false)
			.build();
	}

	/**
	 * @param verifier a decoder that checks signature, issuer and expiry
	 * @return the decoder, remembering the tokens it accepted until they expire (at most
	 * 5 minutes, at most {@value #CACHED_TOKENS} tokens)
	 */
	public static JwtDecoder cached(JwtDecoder verifier) {
		return new CachingJwtDecoder(verifier, CACHED_TOKENS, java.time.Clock.systemUTC());
	}

}
