package dev.bugtracker.users.user;

/**
 * A set-password link whose token is unknown, used already or expired.
 */
public class PasswordLinkInvalidException extends RuntimeException {

	PasswordLinkInvalidException() {
		super("The link is unknown, used already or expired; ask for a new one");
	}

}
