package dev.bugtracker.users.user;

/**
 * The current password given to change it is not the account's.
 */
public class WrongPasswordException extends RuntimeException {

	WrongPasswordException() {
		super("The current password is wrong");
	}

}
