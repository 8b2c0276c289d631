package dev.bugtracker.bugs.bug;

import java.util.Optional;

/**
 * Where bugs-service finds out about users (users-service owns them).
 */
public interface UserDirectory {

	/**
	 * Look a user up.
	 * @param id the user's id
	 * @return the user, or empty if there is no such user
	 * @throws UsersUnavailableException if users-service cannot answer now
	 */
	Optional<UserContact> find(long id);

	/**
	 * A user this directory has found lately, without asking users-service: for use
	 * inside a database transaction, which must not wait on another service.
	 * @param id the user's id
	 * @return the user, or empty if not found lately
	 */
	Optional<UserContact> known(long id);

	/**
	 * What bugs-service needs to know about a user.
	 *
	 * @param id the user's id
	 * @param email where to send notifications
	 * @param displayName the name to show, or null
	 */
	record UserContact(long id, String email, String displayName) {

		/** The display name, or the email when there is none. */
		public String name() {
			return (this.displayName != null && !this.displayName.isBlank()) ? this.displayName : this.email;
		}

	}

}
