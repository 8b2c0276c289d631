package dev.bugtracker.bugs.bug;

import java.time.Instant;
import java.util.Set;

/**
 * Builds domain objects and exceptions whose constructors are package-private, for tests
 * in other packages.
 */
public final class BugTestData {

	private BugTestData() {
	}

	public static Bug bug(long id, String title, long version) {
		return new Bug(id, title, null, Status.OPEN, null, null, Priority.MEDIUM, Severity.MAJOR, 1L, null, Set.of(),
				Set.of(), Instant.parse("2026-11-21T10:00:00Z"), Instant.parse("2026-11-21T10:00:00Z"), null, version);
	}

	public static RuntimeException stale(long id) {
		return new StaleBugException(id, 0, 3);
	}

	public static RuntimeException notAllowed() {
		return new InvalidTransitionException(Status.IN_PROGRESS, Status.OPEN,
				Workflow.allowedMoves(Status.IN_PROGRESS));
	}

}
