package dev.bugtracker.bugs.bug;

/**
 * No bug has the given id or key.
 */
public class BugNotFoundException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public BugNotFoundException(String idOrKey) {
		super("Bug " + idOrKey + " does not exist");
	}

	BugNotFoundException(long id) {
		this(String.valueOf(id));
	}

}
