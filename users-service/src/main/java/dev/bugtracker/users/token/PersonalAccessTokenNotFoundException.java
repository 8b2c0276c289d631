package dev.bugtracker.users.token;

/**
 * No personal access token with that id among the caller's.
 */
public class PersonalAccessTokenNotFoundException extends RuntimeException {

	PersonalAccessTokenNotFoundException(long id) {
		super("You have no personal access token " + id);
	}

}
