package dev.bugtracker.bugs.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import dev.bugtracker.loadbalancing.ConnectionFailures;
import dev.bugtracker.platform.security.ServiceTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.oauth2.client.endpoint.OAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.OAuth2ClientCredentialsGrantRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * bugs-service's own access tokens, from users-service's authorization server with the
 * {@code client_credentials} grant (Spring Security's token response client).
 * <p>
 * A token is renewed <em>off the request path</em>: once half its lifetime has passed,
 * the next call starts one renewal in the background and keeps using the current token,
 * which is still valid for minutes. A call waits for the endpoint only when there is no
 * usable token at all (the first call, or renewals failing until the token is about to
 * expire), and then concurrent calls share one fetch instead of each asking. A slow or
 * freshly started users-service instance therefore never delays a lookup while a token is
 * held (KillUnderLoadIT once saw four lookups at once fail on one slow renewal).
 * <p>
 * A fetch that meets a dying instance (connection refused or reset) or a slow one (read
 * timeout) is tried again on another: asking for another client_credentials token is
 * harmless.
 */
class ClientCredentialsTokens implements ServiceTokens {

	static final String REGISTRATION = "users-service";

	private static final Logger logger = LoggerFactory.getLogger(ClientCredentialsTokens.class);

	private static final int ATTEMPTS = 3;

	/** A token this close to its expiry is not sent: it could expire on the way. */
	private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);

	/** After a failed background renewal, the next one is not tried sooner than this. */
	private static final Duration RENEWAL_BACKOFF = Duration.ofSeconds(5);

	private final ClientRegistration registration;

	private final OAuth2AccessTokenResponseClient<OAuth2ClientCredentialsGrantRequest> endpoint;

	private final Clock clock;

	private final Executor renewals;

	private final ReentrantLock fetching = new ReentrantLock();

	private final AtomicBoolean renewing = new AtomicBoolean();

	private volatile Held current;

	private volatile Instant nextRenewal = Instant.MIN;

	/**
	 * @param registration the client and its token endpoint
	 * @param endpoint asks the token endpoint
	 * @param clock the clock that tokens expire by
	 * @param renewals runs background renewals
	 */
	ClientCredentialsTokens(ClientRegistration registration,
			OAuth2AccessTokenResponseClient<OAuth2ClientCredentialsGrantRequest> endpoint, Clock clock,
			Executor renewals) {
		this.registration = registration;
		this.endpoint = endpoint;
		this.clock = clock;
		this.renewals = renewals;
	}

	@Override
	public String accessToken() {
		Held held = this.current;
		Instant now = this.clock.instant();
		if (held != null && held.usableAt(now)) {
			if (held.dueForRenewalAt(now) && !now.isBefore(this.nextRenewal)) {
				renewInBackground();
			}
			return held.value();
		}
		this.fetching.lock();
		try {
			held = this.current;
			if (held == null || !held.usableAt(this.clock.instant())) {
				held = fetch();
				this.current = held;
			}
			return held.value();
		}
		finally {
			this.fetching.unlock();
		}
	}

	private void renewInBackground() {
		if (!this.renewing.compareAndSet(false, true)) {
			return;
		}
		try {
			this.renewals.execute(this::renew);
		}
		catch (RuntimeException ex) {
			this.renewing.set(false);
			logger.warn("Could not start renewing bugs-service's access token: {}", ex.toString());
		}
	}

	private void renew() {
		try {
			this.fetching.lock();
			try {
				Held held = this.current;
				if (held == null || held.dueForRenewalAt(this.clock.instant())) {
					this.current = fetch();
				}
			}
			finally {
				this.fetching.unlock();
			}
		}
		catch (RuntimeException ex) {
			this.nextRenewal = this.clock.instant().plus(RENEWAL_BACKOFF);
			logger.warn("Renewing bugs-service's access token failed; the current one is used meanwhile: {}",
					ex.toString());
		}
		finally {
			this.renewing.set(false);
		}
	}

	private Held fetch() {
		for (int attempt = 1;; attempt++) {
			try {
				OAuth2AccessToken token = this.endpoint
					.getTokenResponse(new OAuth2ClientCredentialsGrantRequest(this.registration))
					.getAccessToken();
				return Held.received(token, this.clock.instant());
			}
			catch (RuntimeException ex) {
				if (attempt == ATTEMPTS
						|| !(ConnectionFailures.isConnectionFailure(ex) || ConnectionFailures.isTimeout(ex))) {
					throw ex;
				}
			}
		}
	}

	/**
	 * A token and when it was received, by this class's clock: its lifetime is counted
	 * from then, whatever the clocks of the authorization server or of the token response
	 * say.
	 */
	private record Held(String value, Instant received, Duration lifetime) {

		/** A token without an expiry is taken to live for a minute. */
		static Held received(OAuth2AccessToken token, Instant now) {
			Duration lifetime = (token.getIssuedAt() != null && token.getExpiresAt() != null)
					? Duration.between(token.getIssuedAt(), token.getExpiresAt()) : Duration.ofMinutes(1);
			return new Held(token.getTokenValue(), now, lifetime);
		}

		boolean usableAt(Instant now) {
			return now.isBefore(this.received.plus(this.lifetime).minus(EXPIRY_MARGIN));
		}

		boolean dueForRenewalAt(Instant now) {
			return !now.isBefore(this.received.plus(this.lifetime.dividedBy(2)));
		}

	}

}
