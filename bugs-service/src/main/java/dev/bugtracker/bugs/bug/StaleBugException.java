package dev.bugtracker.bugs.bug;

/**
 * The bug changed since the version the client based its change on.
 */
public class StaleBugException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	StaleBugException(long id, long expected, long actual) {
		super("Bug " + id + " is at version " + actual + ", not " + expected + "; read it again and retry");
	}

}
