package dev.bugtracker.bugs.bug;

import java.util.Set;

/**
 * A status move that the workflow does not allow.
 */
public class InvalidTransitionException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient Set<Status> allowed;

	InvalidTransitionException(Status from, Status to, Set<Status> allowed) {
		super("A bug cannot move from " + from + " to " + to + "; allowed moves from " + from + ": " + allowed);
		this.allowed = allowed;
	}

	public Set<Status> getAllowed() {
		return this.allowed;
	}

}
