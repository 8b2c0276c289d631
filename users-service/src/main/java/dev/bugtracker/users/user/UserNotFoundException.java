package dev.bugtracker.users.user;

/**
 * No user has the given id.
 */
public class UserNotFoundException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final long id;

	public UserNotFoundException(long id) {
		super("User " + id + " does not exist");
		this.id = id;
	}

	public long getId() {
		return this.id;
	}

}
