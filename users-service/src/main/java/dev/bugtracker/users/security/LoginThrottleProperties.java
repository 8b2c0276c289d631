package dev.bugtracker.users.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How failed logins (a wrong password, HTTP Basic or the login page), refused personal
 * access tokens and sign-ups refused for a registered address are throttled. Each limit
 * allows some failures free, then makes the next attempt wait, twice as long after each
 * further failure, up to a maximum; a success forgets the account's failures, and
 * failures are forgotten after a quiet {@code forgetAfter}.
 *
 * @param enabled whether to throttle at all
 * @param perAccountAndAddress one account from one client address: a guesser (5 free,
 * then 1 s, doubling up to 5 min)
 * @param perAddress one client address, whatever the account: credential stuffing (20
 * free, then 1 s, doubling up to 15 min)
 * @param perAccount one account from anywhere: a distributed guesser (50 free, then 1 s,
 * doubling up to 1 min). Its maximum wait is short, so that an attacker can only slow the
 * real owner down, never lock them out
 * @param refusedSignUpsPerAddress sign-ups refused because the address is registered
 * ({@code 409}), from one client address: someone finding out which addresses have
 * accounts (20 free, then 1 s, doubling up to 15 min); while it waits, every sign-up from
 * that client address gets {@code 429}
 * @param forgetAfter how long after the last failure the failures are forgotten
 */
@ConfigurationProperties("bugtracker.security.login-throttle")
record LoginThrottleProperties(@DefaultValue("true") boolean enabled,
		@NestedConfigurationProperty Limit perAccountAndAddress, @NestedConfigurationProperty Limit perAddress,
		@NestedConfigurationProperty Limit perAccount, @NestedConfigurationProperty Limit refusedSignUpsPerAddress,
		@DefaultValue("15m") Duration forgetAfter) {

	LoginThrottleProperties {
		// What a limit's configuration leaves out (it may set "free" only) is its
		// default.
		perAccountAndAddress = Limit.of(perAccountAndAddress,
				new Limit(5, Duration.ofSeconds(1), Duration.ofMinutes(5)));
		perAddress = Limit.of(perAddress, new Limit(20, Duration.ofSeconds(1), Duration.ofMinutes(15)));
		perAccount = Limit.of(perAccount, new Limit(50, Duration.ofSeconds(1), Duration.ofMinutes(1)));
		refusedSignUpsPerAddress = Limit.of(refusedSignUpsPerAddress,
				new Limit(20, Duration.ofSeconds(1), Duration.ofMinutes(15)));
	}

	/**
	 * One limit.
	 *
	 * @param free failures allowed before any wait
	 * @param firstWait the wait after the first failure beyond them
	 * @param maxWait the longest wait
	 */
	record Limit(Integer free, Duration firstWait, Duration maxWait) {

		static Limit of(Limit configured, Limit defaults) {
			if (configured == null) {
				return defaults;
			}
			return new Limit((configured.free() != null) ? configured.free() : defaults.free(),
					(configured.firstWait() != null) ? configured.firstWait() : defaults.firstWait(),
					(configured.maxWait() != null) ? configured.maxWait() : defaults.maxWait());
		}

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
