package dev.bugtracker.notificator.notification;

/**
 * A request to send an email that is malformed; retrying it unchanged cannot succeed.
 */
public class InvalidEmailRequestException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String field;

	InvalidEmailRequestException(String field, String message) {
		super(field + " " + message);
		this.field = field;
	}

	/**
	 * Return the name of the invalid field, as in the protobuf contract.
	 * @return the field name
	 */
	public String getField() {
		return this.field;
	}

}
