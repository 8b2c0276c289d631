package dev.bugtracker.bugs.bug;

import java.util.Set;

/**
 * A search for bugs; null or empty criteria do not filter.
 *
 * @param statuses any of these statuses
 * @param assignee assigned to this user
 * @param unassigned only bugs with no assignee
 * @param reporter reported by this user
 * @param label carrying this label
 * @param priority of this priority
 * @param severity of this severity
 * @param text words that the title or description contain
 */
public record BugQuery(Set<Status> statuses, Long assignee, boolean unassigned, Long reporter, String label,
		Priority priority, Severity severity, String text) {

	/** The fields a search may sort by, as the API names them. */
	public static final Set<String> SORTABLE = Set.of("id", "createdAt", "updatedAt", "priority", "severity", "status",
			"title");

}
