package dev.bugtracker.bugs.bug;

/**
 * Where a bug stands in its workflow; {@link Workflow} says which moves are allowed.
 */
public enum Status {

	OPEN, IN_PROGRESS, RESOLVED, CLOSED, REOPENED

}
