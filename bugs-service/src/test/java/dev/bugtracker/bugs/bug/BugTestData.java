package dev.bugtracker.bugs.bug;

import java.time.Instant;

/**
 * Builds domain objects whose constructors are package-private, for tests in other
 * packages.
 */
public final class BugTestData {

	private BugTestData() {
	}

	public static Bug bug(Long id, String title) {
		return new Bug(id, title, Instant.parse("2026-11-21T10:00:00Z"));
	}

	public static RuntimeException notFound(long id) {
		return new BugNotFoundException(id);
	}

}
