package dev.bugtracker.users.user.web;

import java.time.Instant;
import java.util.Set;

import dev.bugtracker.users.user.Role;
import dev.bugtracker.users.user.User;

/**
 * A user as they see themselves ({@code GET /users/me}): everything but the password.
 *
 * @param id the user's id
 * @param email the canonical (lower-case) email
 * @param displayName the name to show, or null
 * @param createdAt when the user registered
 * @param roles every role the user has
 * @param passwordSet whether the user has set a password
 * @param emailVerified whether the user has proven the address (the welcome email's
 * confirmation link, or a set-password link)
 * @param disabled whether an admin disabled the account
 */
record AccountResponse(long id, String email, String displayName, Instant createdAt, Set<Role> roles,
		boolean passwordSet, boolean emailVerified, boolean disabled) {

	static AccountResponse of(User user, Set<Role> roles) {
		return new AccountResponse(user.getId(), user.getEmail(), user.getDisplayName(), user.getCreatedAt(), roles,
				user.hasPassword(), user.isEmailVerified(), user.isDisabled());
	}

}
