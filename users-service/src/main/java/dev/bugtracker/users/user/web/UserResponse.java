package dev.bugtracker.users.user.web;

import java.time.Instant;

import dev.bugtracker.users.user.User;

/**
 * A user as the API shows it.
 *
 * @param id the user's id
 * @param email the canonical (lower-case) email
 * @param displayName the name to show, or null
 * @param createdAt when the user registered
 */
record UserResponse(long id, String email, String displayName, Instant createdAt) {

	static UserResponse of(User user) {
		return new UserResponse(user.getId(), user.getEmail(), user.getDisplayName(), user.getCreatedAt());
	}

}
