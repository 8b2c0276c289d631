package dev.bugtracker.bugs.bug;

/**
 * A field names a user or bug that does not exist.
 */
public class UnknownReferenceException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String field;

	public UnknownReferenceException(String field, String message) {
		super("'" + field + "' " + message);
		this.field = field;
	}

	public String getField() {
		return this.field;
	}

}
