package dev.bugtracker.bugs.bug;

import java.util.Set;

/**
 * A bug as reported.
 *
 * @param title what is wrong; required
 * @param description details, optional
 * @param priority optional, {@code MEDIUM} by default
 * @param severity optional, {@code MAJOR} by default
 * @param reporterId the reporting user, or null for an anonymous report
 * @param assigneeId the user to assign, optional
 * @param labels labels, optional
 */
public record NewBug(String title, String description, Priority priority, Severity severity, Long reporterId,
		Long assigneeId, Set<String> labels) {
}
