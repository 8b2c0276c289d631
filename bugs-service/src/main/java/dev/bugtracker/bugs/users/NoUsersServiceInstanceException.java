package dev.bugtracker.bugs.users;

/**
 * No instance of users-service is registered (yet): while the system starts, or after
 * every instance has gone. A lookup then fails at once and holds nothing, so the
 * {@code users} circuit breaker ignores it (configs/bugs-service.yml): a service that is
 * not there yet is not a failing service, and the first lookups after it registers must
 * not meet an open breaker.
 */
class NoUsersServiceInstanceException extends RuntimeException {

	NoUsersServiceInstanceException(String message, Throwable cause) {
		super(message, cause);
	}

}
