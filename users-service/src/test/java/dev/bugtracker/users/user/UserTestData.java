package dev.bugtracker.users.user;

import java.time.Instant;

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

	public static RuntimeException emailTaken(String email) {
		return new EmailAlreadyRegisteredException(email);
	}

	public static RuntimeException notFound(long id) {
		return new UserNotFoundException(id);
	}

}
