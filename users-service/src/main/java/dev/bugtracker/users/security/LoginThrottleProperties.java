package dev.bugtracker.users.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How failed logins (a wrong password, HTTP Basic or the login page) and refused personal
 * access tokens are throttled. Each limit allows some failures free, then makes the next
 * attempt wait, twice as long after each further failure, up to a maximum; a success
 * forgets the account's failures, and failures are forgotten after a quiet
 * {@code forgetAfter}.
 *
 * @param enabled whether to throttle at all
 * @param perAccountAndAddress one account from one client address: a guesser (5 free,
 * then 1 s, doubling up to 5 min)
 * @param perAddress one client address, whatever the account: credential stuffing (20
 * free, then 1 s, doubling up to 15 min)
 * @param perAccount one account from anywhere: a distributed guesser (50 free, then 1 s,
 * doubling up to 1 min). Its maximum wait is short, so that an attacker can only slow the
 * real owner down, never lock them out
 * @param forgetAfter how long after the last failure the failures are forgotten
 */
@ConfigurationProperties("bugtracker.security.login-throttle")
record LoginThrottleProperties(@DefaultValue("true") boolean enabled,
		@NestedConfigurationProperty Limit perAccountAndAddress, @NestedConfigurationProperty Limit perAddress,
		@NestedConfigurationProperty Limit perAccount, @DefaultValue("15m") Duration forgetAfter) {

	LoginThrottleProperties {
		perAccountAndAddress = (perAccountAndAddress != null) ? perAccountAndAddress
				: new Limit(5, Duration.ofSeconds(1), Duration.ofMinutes(5));
		perAddress = (perAddress != null) ? perAddress : new Limit(20, Duration.ofSeconds(1), Duration.ofMinutes(15));
		perAccount = (perAccount != null) ? perAccount : new Limit(50, Duration.ofSeconds(1), Duration.ofMinutes(1));
	}

	/**
	 * One limit.
	 *
	 * @param free failures allowed before any wait
	 * @param firstWait the wait after the first failure beyond them
	 * @param maxWait the longest wait
	 */
	record Limit(int free, Duration firstWait, Duration maxWait) {

		Duration waitAfter(int failures) {
			if (failures <= this.free) {
				return Duration.ZERO;
			}
			int doublings = Math.min(failures - this.free - 1, 30);
			Duration wait = this.firstWait.multipliedBy(1L << doublings);
			return (wait.compareTo(this.maxWait) > 0) ? this.maxWait : wait;
		}

	}

}
