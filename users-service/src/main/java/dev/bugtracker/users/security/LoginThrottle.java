package dev.bugtracker.users.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers failed logins by account and client address, and sign-ups refused for a
 * registered address by client address, and says how long the next attempt must wait
 * ({@link LoginThrottleProperties}). In memory, per instance: with several instances
 * behind the gateway's round robin, an attacker gets each limit once per instance, which
 * is still a tiny fraction of what an unthrottled login allows.
 */
class LoginThrottle {

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	private final LoginThrottleProperties properties;

	private final Clock clock;

	private final Cache<String, Failures> failures;

	LoginThrottle(LoginThrottleProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
		this.failures = Caffeine.newBuilder().expireAfterAccess(properties.forgetAfter()).maximumSize(200_000).build();
	}

	/**
	 * @param account the account tried (its email), or null when there is none (a
	 * personal access token)
	 * @param address the client's address
	 * @return how long the caller must wait before trying; zero if they may try now
	 */
	Duration waitBeforeTrying(String account, String address) {
		if (!this.properties.enabled()) {
			return Duration.ZERO;
		}
		Instant now = this.clock.instant();
		Duration wait = waitFor(addressKey(address), now);
		if (account != null) {
			wait = longer(wait, waitFor(pairKey(account, address), now));
			wait = longer(wait, waitFor(accountKey(account), now));
		}
		return wait;
	}

	/**
	 * A login or token check failed.
	 * @param account the account tried, or null
	 * @param address the client's address
	 */
	void failed(String account, String address) {
		if (!this.properties.enabled()) {
			return;
		}
		Instant now = this.clock.instant();
		record(addressKey(address), this.properties.perAddress(), now);
		if (account != null) {
			record(pairKey(account, address), this.properties.perAccountAndAddress(), now);
			Duration wait = record(accountKey(account), this.properties.perAccount(), now);
			if (!wait.isZero()) {
				log.warn("Logins to one account fail from several addresses; each attempt now waits {}", wait);
			}
		}
	}

	/**
	 * @param address a client's address
	 * @return how long a sign-up from it must wait: zero unless too many of its sign-ups
	 * were refused for a registered address
	 */
	Duration waitBeforeSigningUp(String address) {
		if (!this.properties.enabled()) {
			return Duration.ZERO;
		}
		return waitFor(signUpKey(address), this.clock.instant());
	}

	/**
	 * A sign-up was refused because its address is registered: one more probe of which
	 * addresses have accounts.
	 * @param address the client's address
	 */
	void signUpRefused(String address) {
		if (!this.properties.enabled()) {
			return;
		}
		Duration wait = record(signUpKey(address), this.properties.refusedSignUpsPerAddress(), this.clock.instant());
		if (!wait.isZero()) {
			log.warn("Sign-ups of registered addresses keep coming from one client address; its next sign-up waits {}",
					wait);
		}
	}

	/**
	 * A login succeeded: the account's failures are forgotten (the address's are not: it
	 * may be guessing at other accounts).
	 * @param account the account
	 * @param address the client's address
	 */
	void succeeded(String account, String address) {
		this.failures.invalidate(pairKey(account, address));
		this.failures.invalidate(accountKey(account));
	}

	private Duration waitFor(String key, Instant now) {
		Failures recorded = this.failures.getIfPresent(key);
		return (recorded != null) ? recorded.waitFrom(now) : Duration.ZERO;
	}

	private Duration record(String key, LoginThrottleProperties.Limit limit, Instant now) {
		return this.failures.get(key, (ignored) -> new Failures()).failed(limit, now);
	}

	private static Duration longer(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	private static String addressKey(String address) {
		return "address:" + address;
	}

	private static String signUpKey(String address) {
		return "sign-up:" + address;
	}

	private static String pairKey(String account, String address) {
		return "pair:" + normalise(account) + "|" + address;
	}

	private static String accountKey(String account) {
		return "account:" + normalise(account);
	}

	private static String normalise(String account) {
		return account.strip().toLowerCase(Locale.ROOT);
	}

	/** The failures of one key, and until when the next attempt must wait. */
	private static final class Failures {

		private int count;

		private Instant blockedUntil = Instant.MIN;

		synchronized Duration failed(LoginThrottleProperties.Limit limit, Instant now) {
			this.count++;
			Duration wait = limit.waitAfter(this.count);
			if (!wait.isZero()) {
				this.blockedUntil = now.plus(wait);
			}
			return wait;
		}

		synchronized Duration waitFrom(Instant now) {
			return now.isBefore(this.blockedUntil) ? Duration.between(now, this.blockedUntil) : Duration.ZERO;
		}

	}

}
