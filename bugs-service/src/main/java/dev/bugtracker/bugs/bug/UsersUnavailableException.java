package dev.bugtracker.bugs.bug;

/**
 * users-service cannot answer now (down, too slow, or its circuit breaker is open).
 */
public class UsersUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public UsersUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
