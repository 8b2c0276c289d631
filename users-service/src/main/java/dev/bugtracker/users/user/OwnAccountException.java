package dev.bugtracker.users.user;

/**
 * An admin tried to disable their own account.
 */
public class OwnAccountException extends RuntimeException {

	OwnAccountException() {
		super("Admins cannot disable their own account: another admin can");
	}

}
