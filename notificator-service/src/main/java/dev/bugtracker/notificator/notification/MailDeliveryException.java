package dev.bugtracker.notificator.notification;

/**
 * The mail transport failed; the same request may succeed later.
 */
public class MailDeliveryException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	MailDeliveryException(String message, Throwable cause) {
		super(message, cause);
	}

}
