package dev.bugtracker.users.security;

import java.time.Duration;

import org.springframework.stereotype.Component;

/**
 * A password checked outside a login (the current password of a password change) counts
 * against the same throttle as logins: a stolen token cannot be used to guess the
 * account's password faster than the login page allows.
 */
@Component
public class PasswordChecks {

	private final LoginThrottle throttle;

	PasswordChecks(LoginThrottle throttle) {
		this.throttle = throttle;
	}

	/**
	 * Run a check of the account's password, unless the throttle makes the caller wait.
	 * @param email the account
	 * @param address the client's address
	 * @param check the check; it throws {@code wrong} when the password is wrong
	 * @param wrong the exception of a wrong password
	 * @throws TooManyAttemptsException if the caller must wait
	 */
	public void check(String email, String address, Runnable check, Class<? extends RuntimeException> wrong) {
		Duration wait = this.throttle.waitBeforeTrying(email, address);
		if (!wait.isZero()) {
			throw new TooManyAttemptsException(wait);
		}
		try {
			check.run();
			this.throttle.succeeded(email, address);
		}
		catch (RuntimeException ex) {
			if (wrong.isInstance(ex)) {
				this.throttle.failed(email, address);
			}
			throw ex;
		}
	}

	/** Too many wrong passwords from this client for this account: wait. */
	public static class TooManyAttemptsException extends RuntimeException {

		private final Duration retryAfter;

		TooManyAttemptsException(Duration retryAfter) {
			super("Too many wrong passwords; retry later");
			this.retryAfter = retryAfter;
		}

		public Duration getRetryAfter() {
			return this.retryAfter;
		}

	}

}
