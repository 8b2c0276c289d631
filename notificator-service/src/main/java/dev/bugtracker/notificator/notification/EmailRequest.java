package dev.bugtracker.notificator.notification;

import java.util.regex.Pattern;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * A validated request to send one email.
 *
 * @param recipient the recipient's address, as given
 * @param subject the subject line
 * @param body the plain-text body
 * @param idempotencyKey the caller's key for this email
 */
public record EmailRequest(String recipient, String subject, String body, String idempotencyKey) {

	static final int MAX_BODY = 100_000;

	static final int MAX_SUBJECT = 998;

	static final int MAX_KEY = 200;

	private static final Pattern DOMAIN = Pattern.compile("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$");

	/**
	 * Validate and create a request.
	 * @param recipient the recipient's address
	 * @param subject the subject line
	 * @param body the plain-text body
	 * @param idempotencyKey the caller's key
	 * @return the request
	 * @throws InvalidEmailRequestException naming the first invalid field
	 */
	public static EmailRequest of(String recipient, String subject, String body, String idempotencyKey) {
		requireAddress(recipient);
		require(subject != null && !subject.isBlank(), "subject", "must not be blank");
		require(subject.length() <= MAX_SUBJECT, "subject", "must be at most " + MAX_SUBJECT + " characters");
		require(subject.indexOf('\r') < 0 && subject.indexOf('\n') < 0, "subject", "must not contain line breaks");
		require(body != null && !body.isEmpty(), "content", "must not be empty");
		require(body.length() <= MAX_BODY, "content", "must be at most " + MAX_BODY + " characters");
		require(idempotencyKey != null && !idempotencyKey.isBlank(), "idempotency_key", "must not be blank");
		require(idempotencyKey.length() <= MAX_KEY, "idempotency_key", "must be at most " + MAX_KEY + " characters");
		return new EmailRequest(recipient.strip(), subject, body, idempotencyKey);
	}

	private static void requireAddress(String recipient) {
		require(recipient != null && !recipient.isBlank(), "email", "must not be blank");
		String address = recipient.strip();
		require(address.length() <= 254, "email", "must be at most 254 characters");
		try {
			new InternetAddress(address, true).validate();
		}
		catch (AddressException ex) {
			throw new InvalidEmailRequestException("email", "is not a valid email address: " + ex.getMessage());
		}
		require(DOMAIN.matcher(address).matches(), "email", "is not a valid email address (expected name@domain.tld)");
	}

	private static void require(boolean condition, String field, String message) {
		if (!condition) {
			throw new InvalidEmailRequestException(field, message);
		}
	}

}
