package dev.bugtracker.users.token;

/**
 * A personal access token that is unknown, revoked or expired. Which of them is not said.
 */
public class InvalidPersonalAccessTokenException extends RuntimeException {

	InvalidPersonalAccessTokenException() {
		super("The personal access token is unknown, revoked or expired");
	}

}
