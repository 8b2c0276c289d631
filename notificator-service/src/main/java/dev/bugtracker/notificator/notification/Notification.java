package dev.bugtracker.notificator.notification;

import java.time.Instant;
import java.util.UUID;

/**
 * A recorded notification.
 *
 * @param id its identifier, returned to callers
 * @param idempotencyKey the caller's key
 * @param recipient the recipient's address
 * @param subject the subject line
 * @param body the plain-text body
 * @param status where it stands
 * @param createdAt when it was first requested
 */
record Notification(UUID id, String idempotencyKey, String recipient, String subject, String body, Status status,
		Instant createdAt) {

	enum Status {

		/** Recorded, not delivered yet. */
		PENDING,
		/** Handed to the mail transport. */
		SENT,
		/** The last delivery attempt failed; a retry by the caller tries again. */
		FAILED

	}

	boolean sameEmailAs(EmailRequest request) {
		return this.recipient.equals(request.recipient()) && this.subject.equals(request.subject())
				&& this.body.equals(request.body());
	}

}
