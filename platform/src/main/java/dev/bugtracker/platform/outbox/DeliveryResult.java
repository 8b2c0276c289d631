package dev.bugtracker.platform.outbox;

/**
 * What one delivery attempt came to.
 */
sealed interface DeliveryResult {

	/** notificator accepted the email. */
	record Delivered(String notificationId) implements DeliveryResult {
	}

	/** notificator refused the email for good (it is malformed); retrying cannot help. */
	record Rejected(String reason) implements DeliveryResult {
	}

	/** notificator could not be reached or failed; try again later. */
	record Failed(String reason) implements DeliveryResult {
	}

	/** The circuit breaker is open: do not even try until it lets calls through again. */
	record BreakerOpen(String reason) implements DeliveryResult {
	}

}
