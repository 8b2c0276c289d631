package dev.bugtracker.notificator.notification;

/**
 * An idempotency key that was already used for a different email.
 */
public class IdempotencyKeyConflictException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	IdempotencyKeyConflictException(String key) {
		super("Idempotency key '" + key + "' was already used for a different email");
	}

}
