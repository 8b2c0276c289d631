package dev.bugtracker.bugs.bug;

/**
 * No bug has the given id.
 */
public class BugNotFoundException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public BugNotFoundException(long id) {
		super("Bug " + id + " does not exist");
	}

}
