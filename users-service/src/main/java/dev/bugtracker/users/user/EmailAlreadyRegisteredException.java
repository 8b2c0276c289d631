package dev.bugtracker.users.user;

/**
 * Another user already registered this email address.
 */
public class EmailAlreadyRegisteredException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String email;

	EmailAlreadyRegisteredException(String email) {
		super("A user with email '" + email + "' is already registered");
		this.email = email;
	}

	public String getEmail() {
		return this.email;
	}

}
