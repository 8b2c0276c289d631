package dev.bugtracker.bugs.bug;

/**
 * The acting user may not do what they asked (a 403): the message says who may, and
 * nothing about the bug beyond its key.
 */
public class NotPermittedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public NotPermittedException(String message) {
		super(message);
	}

}
