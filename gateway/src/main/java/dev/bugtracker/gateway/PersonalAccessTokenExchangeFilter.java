package dev.bugtracker.gateway;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.bugtracker.loadbalancing.ConnectionFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;

/**
 * Exchanges a personal access token ({@code Authorization: Bearer btp_...}) for a
 * short-lived access token of its owner, at users-service, before the request is routed:
 * the services only ever see signed access tokens.
 * <p>
 * Exchanges are cached by the token's hash for at most {@code maxCached} (30 s unless
 * {@code bugtracker.gateway.personal-access-token-cache} says otherwise, and never beyond
 * the access token's own expiry), so a revoked token stops working within that time at
 * every gateway instance, while a script's thousand requests cost one exchange. A refused
 * token is remembered for a few seconds, so that a client retrying with it does not reach
 * users-service each time. Concurrent requests with one token share one exchange. An
 * attempt that fails to connect or gets no answer within {@link #ATTEMPT_TIMEOUT} is made
 * again at another instance, twice at most: the wait is bounded by three attempts.
 */
class PersonalAccessTokenExchangeFilter implements GlobalFilter, Ordered {

	static final String PREFIX = "Bearer btp_";

	private static final Duration REFUSAL_CACHED = Duration.ofSeconds(5);

	/**
	 * How long one attempt of an exchange may take: an instance that has not answered by
	 * then is starting, stalled or starved, and the exchange is asked of the next one.
	 */
	static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

	/** Attempts after the first one, each at the load balancer's next instance. */
	private static final int RETRIES = 2;

	private static final Logger log = LoggerFactory.getLogger(PersonalAccessTokenExchangeFilter.class);

	private final WebClient users;

	private final JsonMapper mapper;

	private final Duration attemptTimeout;

	private final Duration maxCached;

	private final AsyncCache<String, Exchanged> exchanged = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfter(new Expiry<String, Exchanged>() {

			@Override
			public long expireAfterCreate(String key, Exchanged value, long currentTime) {
				return value.cacheFor().toNanos();
			}

			@Override
			public long expireAfterUpdate(String key, Exchanged value, long currentTime, long currentDuration) {
				return value.cacheFor().toNanos();
			}

			@Override
			public long expireAfterRead(String key, Exchanged value, long currentTime, long currentDuration) {
				return currentDuration;
			}

		})
		.buildAsync();

	/**
	 * @param users a client of users-service (load-balanced,
	 * {@code http://users-service})
	 * @param mapper writes the problems
	 * @param maxCached how long an exchange is reused at most
	 */
	PersonalAccessTokenExchangeFilter(WebClient users, JsonMapper mapper, Duration maxCached) {
		this(users, mapper, maxCached, ATTEMPT_TIMEOUT);
	}

	PersonalAccessTokenExchangeFilter(WebClient users, JsonMapper mapper, Duration maxCached, Duration attemptTimeout) {
		this.users = users;
		this.mapper = mapper;
		this.maxCached = maxCached;
		this.attemptTimeout = attemptTimeout;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
			return chain.filter(exchange);
		}
		return Mono
			.fromFuture(() -> this.exchanged.get(hash(authorization),
					(key, executor) -> exchange(authorization, clientAddress(exchange)).toFuture()))
			.flatMap((result) -> {
				if (result.retryAfter() != null) {
					exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, result.retryAfter());
					return write(exchange, HttpStatus.TOO_MANY_REQUESTS, result.refusal(), null);
				}
				if (result.accessToken() == null) {
					return write(exchange, HttpStatus.UNAUTHORIZED, result.refusal(),
							"Bearer error=\"invalid_token\", error_description=\"" + result.refusal() + "\"");
				}
				return chain.filter(exchange.mutate()
					.request((request) -> request
						.headers((headers) -> headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + result.accessToken())))
					.build());
			})
			.onErrorResume((ex) -> !exchange.getResponse().isCommitted(), (ex) -> {
				log.warn("Could not exchange a personal access token at users-service: {}", ex.toString());
				exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
				return write(exchange, HttpStatus.SERVICE_UNAVAILABLE,
						"Personal access tokens cannot be checked right now (users-service is unavailable); "
								+ "retry shortly",
						null);
			});
	}

	private Mono<Exchanged> exchange(String authorization, String clientAddress) {
		return this.users.post()
			.uri("/internal/tokens/exchange")
			.header(HttpHeaders.AUTHORIZATION, authorization)
			// users-service throttles refused tokens by client address.
			.header("X-Forwarded-For", clientAddress)
			.exchangeToMono((response) -> {
				if (response.statusCode().is2xxSuccessful()) {
					return response.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {
					}).map((body) -> {
						long expiresIn = ((Number) body.get("expires_in")).longValue();
						// Drop it a little before it expires, so that it is never sent
						// expired.
						Duration cacheFor = Duration.ofSeconds(Math.max(0, expiresIn - 10));
						return new Exchanged((String) body.get("access_token"), null,
								(cacheFor.compareTo(this.maxCached) < 0) ? cacheFor : this.maxCached, null);
					});
				}
				if (response.statusCode().value() == HttpStatus.UNAUTHORIZED.value()) {
					return response.releaseBody()
						.thenReturn(new Exchanged(null, "The personal access token is unknown, revoked or expired",
								REFUSAL_CACHED, null));
				}
				if (response.statusCode().value() == HttpStatus.TOO_MANY_REQUESTS.value()) {
					String retryAfter = response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER);
					return response.releaseBody()
						.thenReturn(new Exchanged(null, "Too many refused tokens from this address; retry later",
								Duration.ZERO, (retryAfter != null) ? retryAfter : "1"));
				}
				return response.createError();
			})
			// A users-service instance that has just died: its connection is refused or
			// reset, the request never reached it, and the load balancer has ejected it.
			// One that does not answer in time: it is starting, stalled or starved, and
			// an
			// exchange only mints a short-lived token, so asking again is safe. Either
			// way
			// the next attempt goes to the load balancer's next instance.
			.timeout(this.attemptTimeout)
			.retryWhen(Retry.max(RETRIES)
				.filter((ex) -> ConnectionFailures.isConnectionFailure(ex) || ConnectionFailures.isTimeout(ex)));
	}

	private Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String detail, String challenge) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		exchange.getResponse().setStatusCode(status);
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (challenge != null) {
			headers.set(HttpHeaders.WWW_AUTHENTICATE, challenge);
		}
		DataBuffer body = exchange.getResponse().bufferFactory().wrap(this.mapper.writeValueAsBytes(problem));
		return exchange.getResponse().writeWith(Mono.just(body));
	}

	private static String clientAddress(ServerWebExchange exchange) {
		InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
		return (remote != null) ? remote.getHostString() : "unknown";
	}

	private static String hash(String authorization) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256")
					.digest(authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/** Before the routing filters, after the request's observation has started. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 20;
	}

	/**
	 * An exchange's result.
	 *
	 * @param accessToken the access token, or null if the token was refused
	 * @param refusal why it was refused
	 * @param cacheFor how long to remember it
	 * @param retryAfter when users-service throttles the client: its {@code Retry-After}
	 */
	record Exchanged(String accessToken, String refusal, Duration cacheFor, String retryAfter) {
	}

}
