package dev.bugtracker.users.user;

import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Builds domain objects whose constructors are package-private, for tests in other
 * packages.
 */
public final class UserTestData {

	private UserTestData() {
	}

	public static User user(Long id, String email, String displayName, Instant createdAt) {
		return new User(id, email, displayName, createdAt);
	}

	/**
	 * Mark an address as proven, as its owner's use of the confirmation link would: for
	 * tests whose subject is not the confirmation, such as those that need a configured
	 * admin (AccountsTest goes through the link).
	 */
	public static void confirmAddress(JdbcClient jdbc, String email) {
		int updated = jdbc.sql("update users set email_verified_at = current_timestamp where email = ?")
			.param(EmailAddress.of(email).value())
			.update();
		if (updated != 1) {
			throw new IllegalStateException("No user " + email + " to confirm");
		}
	}

	public static RuntimeException emailTaken(String email) {
		return new EmailAlreadyRegisteredException(email);
	}

	public static RuntimeException notFound(long id) {
		return new UserNotFoundException(id);
	}

}
