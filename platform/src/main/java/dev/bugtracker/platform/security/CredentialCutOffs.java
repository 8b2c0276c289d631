package dev.bugtracker.platform.security;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.RequestEntity;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The accounts whose credentials were cut off lately (a password reset or change, signing
 * out everywhere, an admin disabling the account), as users-service publishes them: each
 * cut-off raises the account's credentials version, and an access token carries the
 * version it was issued at ({@value #CLAIM}). A service refuses a user's token of an
 * older version ({@link CutOffCheckingJwtDecoder}), so a token issued before a cut-off
 * stops working within {@link #pollInterval} plus one fetch, not when it expires.
 * <p>
 * The list is fetched from {@code source} every poll interval, asking for the cut-offs
 * since the previous answer's time less an overlap (so that a cut-off committed while an
 * answer was made is not missed); entries older than {@link #REMEMBERED} are dropped,
 * since every token issued before them has expired by then (access tokens live 10 minutes
 * at most). A fetch that fails keeps what is known and is tried again at the next poll;
 * until the first fetch succeeds nothing is refused (the gauge
 * {@code bugtracker.security.cut_offs.age} says how old the list is).
 * <p>
 * The same list carries the access tokens invalidated before they expire (revoked by
 * their client at the authorization server's {@code /oauth2/revoke}, or with a revoked
 * refresh token), by their id ({@code jti}): they are refused the same way, and forgotten
 * once they have expired.
 */
public final class CredentialCutOffs implements AutoCloseable {

	/** The claim of a user's access token that holds their credentials version. */
	public static final String CLAIM = "credentials_version";

	/** How long a cut-off is remembered: longer than any access token lives. */
	public static final Duration REMEMBERED = Duration.ofMinutes(15);

	/** The property that sets how often the list is fetched (10 s by default). */
	public static final String POLL_INTERVAL_PROPERTY = "bugtracker.security.cut-offs.poll-interval";

	/** How far back each fetch reaches before the previous answer's time. */
	static final Duration OVERLAP = Duration.ofSeconds(5);

	private static final Logger log = LoggerFactory.getLogger(CredentialCutOffs.class);

	private final Function<Instant, Feed> source;

	private final Duration pollInterval;

	private final Clock clock;

	private final Map<Long, CutOff> cutOffs = new ConcurrentHashMap<>();

	private final Map<String, Instant> revokedTokens = new ConcurrentHashMap<>();

	private volatile Instant fetchedUpTo;

	private volatile Instant lastFetch;

	private volatile boolean failing;

	private ScheduledExecutorService poller;

	/**
	 * @param source the cut-offs since a time (which may be null: as far back as the
	 * source remembers), with the source's own time of the answer
	 * @param pollInterval how often the list is fetched
	 * @param clock this service's clock, for the age of the list
	 */
	public CredentialCutOffs(Function<Instant, Feed> source, Duration pollInterval, Clock clock) {
		this.source = source;
		this.pollInterval = pollInterval;
		this.clock = clock;
	}

	/**
	 * The cut-offs as users-service publishes them ({@code GET
	 * /internal/credential-cut-offs}, with this service's own access token): at
	 * {@code bugtracker.security.authorization-server-url} where that is set, otherwise
	 * at an instance of users-service found through the registry, like the signing keys
	 * ({@link AccessTokenDecoders}).
	 * @param environment the service's environment
	 * @param loadBalancer resolves {@code http://users-service/} through the registry
	 * @param tokens this service's own access tokens (scope {@code users:lookup})
	 * @return the source
	 */
	public static Function<Instant, Feed> fromUsersService(Environment environment,
			ClientHttpRequestInterceptor loadBalancer, ServiceTokens tokens) {
		RestTemplate http = new RestTemplate(AccessTokenDecoders.requests(Duration.ofSeconds(3)));
		http.getInterceptors().add(AccessTokenDecoders.route(environment, loadBalancer));
		String server = AccessTokenDecoders.authorizationServer(environment);
		String feed = ((server != null) ? server : "http://users-service") + "/internal/credential-cut-offs";
		return (since) -> {
			URI uri = UriComponentsBuilder.fromUriString(feed)
				.queryParamIfPresent("since", java.util.Optional.ofNullable(since).map(Instant::toString))
				.build()
				.toUri();
			RequestEntity<Void> request = RequestEntity.get(uri)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.accessToken())
				.build();
			Feed answer = http.exchange(request, Feed.class).getBody();
			if (answer == null || answer.now() == null || answer.cutOffs() == null) {
				throw new IllegalStateException("users-service answered " + uri + " without a list of cut-offs");
			}
			return answer;
		};
	}

	/**
	 * @param environment a service's environment
	 * @return how often the list is fetched: {@value #POLL_INTERVAL_PROPERTY}, 10 s by
	 * default
	 */
	public static Duration pollInterval(Environment environment) {
		return environment.getProperty(POLL_INTERVAL_PROPERTY, Duration.class, Duration.ofSeconds(10));
	}

	/**
	 * Start fetching, at once and then every poll interval, on a thread of its own.
	 * @param meters where the age of the list is reported
	 * @return this list
	 */
	public CredentialCutOffs start(MeterRegistry meters) {
		Gauge.builder("bugtracker.security.cut_offs.age", this, CredentialCutOffs::ageSeconds)
			.description("Seconds since the list of cut-off credentials was last fetched (-1: never)")
			.baseUnit("seconds")
			.register(meters);
		this.poller = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "credential-cut-offs");
			thread.setDaemon(true);
			return thread;
		});
		this.poller.scheduleWithFixedDelay(this::refresh, 0, this.pollInterval.toMillis(), TimeUnit.MILLISECONDS);
		return this;
	}

	/**
	 * Fetch the cut-offs since the last fetch, and forget those older than
	 * {@link #REMEMBERED}. Never throws: a failure is logged (once until a fetch succeeds
	 * again) and the list stays as it is.
	 */
	public void refresh() {
		try {
			Instant since = (this.fetchedUpTo != null) ? this.fetchedUpTo.minus(OVERLAP) : null;
			Feed feed = this.source.apply(since);
			for (CutOff cutOff : feed.cutOffs()) {
				this.cutOffs.merge(cutOff.userId(), cutOff,
						(known, fetched) -> (fetched.version() >= known.version()) ? fetched : known);
			}
			for (RevokedToken revoked : feed.revokedTokens()) {
				this.revokedTokens.put(revoked.id(), revoked.expiresAt());
			}
			Instant oldest = feed.now().minus(REMEMBERED);
			this.cutOffs.values().removeIf((cutOff) -> cutOff.at().isBefore(oldest));
			this.revokedTokens.values().removeIf((expiresAt) -> expiresAt.isBefore(feed.now()));
			this.fetchedUpTo = feed.now();
			this.lastFetch = this.clock.instant();
			if (this.failing) {
				log.info("Fetched the cut-off credentials again");
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				log.warn("Could not fetch the cut-off credentials (tried again every {} s): {}",
						this.pollInterval.toSeconds(), ex.toString());
				this.failing = true;
			}
		}
	}

	/**
	 * @param userId an account
	 * @return the lowest credentials version of the account's tokens that is still
	 * honoured: 0 if no cut-off of it is known
	 */
	public long minimumVersion(long userId) {
		CutOff cutOff = this.cutOffs.get(userId);
		return (cutOff != null) ? cutOff.version() : 0;
	}

	/**
	 * @param tokenId an access token's id ({@code jti})
	 * @return whether it was revoked before it expires
	 */
	public boolean isRevoked(String tokenId) {
		return this.revokedTokens.containsKey(tokenId);
	}

	private double ageSeconds() {
		Instant last = this.lastFetch;
		return (last != null) ? Duration.between(last, this.clock.instant()).toMillis() / 1000.0 : -1;
	}

	@Override
	public void close() {
		if (this.poller != null) {
			this.poller.shutdownNow();
		}
	}

	/**
	 * An answer of the source.
	 *
	 * @param now the source's time of the answer: the next fetch asks for the cut-offs
	 * since then (less an overlap)
	 * @param cutOffs the cut-offs since the time asked for
	 * @param revokedTokens the access tokens revoked since then (none from a source that
	 * does not say)
	 */
	public record Feed(Instant now, List<CutOff> cutOffs, List<RevokedToken> revokedTokens) {

		public Feed {
			revokedTokens = (revokedTokens != null) ? revokedTokens : List.of();
		}

		/**
		 * @param now the source's time of the answer
		 * @param cutOffs the cut-offs since the time asked for
		 */
		public Feed(Instant now, List<CutOff> cutOffs) {
			this(now, cutOffs, List.of());
		}

	}

	/**
	 * An access token revoked before it expires.
	 *
	 * @param id its id ({@code jti})
	 * @param expiresAt when it expires: it is forgotten then
	 * @param at when it was revoked
	 */
	public record RevokedToken(String id, Instant expiresAt, Instant at) {
	}

	/**
	 * A cut-off of an account's credentials.
	 *
	 * @param userId the account
	 * @param version its credentials version since then: tokens of a lower one are
	 * refused
	 * @param at when it was cut off
	 */
	public record CutOff(long userId, long version, Instant at) {
	}

}
