package dev.bugtracker.bugs.bug.web;

import java.time.Instant;

import dev.bugtracker.bugs.bug.Bug;

/**
 * A bug as the API shows it.
 *
 * @param id the bug's id
 * @param title what is wrong
 * @param createdAt when it was reported
 */
record BugResponse(long id, String title, Instant createdAt) {

	static BugResponse of(Bug bug) {
		return new BugResponse(bug.getId(), bug.getTitle(), bug.getCreatedAt());
	}

}
