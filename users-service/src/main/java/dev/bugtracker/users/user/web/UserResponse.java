package dev.bugtracker.users.user.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bugtracker.users.user.User;

/**
 * A user as the API shows it.
 *
 * @param id the user's id
 * @param email the canonical (lower-case) email; left out of others' public profiles
 * @param displayName the name to show, or null
 * @param createdAt when the user registered
 */
record UserResponse(long id, @JsonInclude(JsonInclude.Include.NON_NULL) String email, String displayName,
		Instant createdAt) {

	static UserResponse of(User user) {
		return new UserResponse(user.getId(), user.getEmail(), user.getDisplayName(), user.getCreatedAt());
	}

	/**
	 * @param user a user
	 * @return what anyone may see of them: no email address
	 */
	static UserResponse publicProfileOf(User user) {
		return new UserResponse(user.getId(), null, user.getDisplayName(), user.getCreatedAt());
	}

}
