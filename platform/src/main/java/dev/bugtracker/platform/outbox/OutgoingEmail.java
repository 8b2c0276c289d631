package dev.bugtracker.platform.outbox;

import java.util.Objects;

/**
 * An email a service wants sent.
 *
 * @param idempotencyKey stable key of this email, e.g. {@code users:welcome:42};
 * notificator sends one email per key however often the relay retries
 * @param recipient the address to send to
 * @param subject the subject line
 * @param body the plain-text body
 */
public record OutgoingEmail(String idempotencyKey, String recipient, String subject, String body) {

	public OutgoingEmail {
		Objects.requireNonNull(idempotencyKey, "idempotencyKey");
		Objects.requireNonNull(recipient, "recipient");
		Objects.requireNonNull(subject, "subject");
		Objects.requireNonNull(body, "body");
	}

}
