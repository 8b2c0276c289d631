package dev.bugtracker.platform.web;

/**
 * A request parameter, header or field that the transport layer refuses: answered 400
 * with a problem that names it.
 */
public class InvalidParameterException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String field;

	/**
	 * @param field the parameter, header or field, as the client wrote it
	 * @param message what is wrong with it, e.g. "must be 0 or more"
	 */
	public InvalidParameterException(String field, String message) {
		super("'" + field + "' " + message);
		this.field = field;
	}

	/**
	 * @return the parameter, header or field
	 */
	public String getField() {
		return this.field;
	}

}
