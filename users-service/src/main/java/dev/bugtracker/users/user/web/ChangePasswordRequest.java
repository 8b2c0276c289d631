package dev.bugtracker.users.user.web;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code PUT /users/me/password}.
 *
 * @param currentPassword the password now
 * @param newPassword the new one
 */
record ChangePasswordRequest(@NotNull @Size(max = 200) String currentPassword, @NotNull @Size(min = PasswordRules.MIN,
		max = PasswordRules.MAX, message = PasswordRules.MESSAGE) String newPassword) {

	/** Without the passwords, which must not reach a log. */
	@Override
	public String toString() {
		return "ChangePasswordRequest[currentPassword=[hidden], newPassword=[hidden]]";
	}

}
