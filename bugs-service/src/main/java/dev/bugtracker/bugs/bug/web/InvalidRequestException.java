package dev.bugtracker.bugs.bug.web;

/**
 * A request parameter or patch field that the transport layer refuses; names the field.
 */
class InvalidRequestException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String field;

	InvalidRequestException(String field, String message) {
		super("'" + field + "' " + message);
		this.field = field;
	}

	String getField() {
		return this.field;
	}

}
