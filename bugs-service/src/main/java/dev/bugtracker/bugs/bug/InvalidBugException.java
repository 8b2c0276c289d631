package dev.bugtracker.bugs.bug;

/**
 * A field value that breaks a rule of the bug domain.
 */
public class InvalidBugException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String field;

	InvalidBugException(String field, String message) {
		super("'" + field + "' " + message);
		this.field = field;
	}

	public String getField() {
		return this.field;
	}

}
