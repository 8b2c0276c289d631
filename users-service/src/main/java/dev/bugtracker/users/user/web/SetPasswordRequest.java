package dev.bugtracker.users.user.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /users/password}: the token of the emailed link and the new
 * password.
 *
 * @param token the token of the link
 * @param password the new password
 */
record SetPasswordRequest(@NotBlank @Size(max = 100) String token, @NotNull @Size(min = PasswordRules.MIN,
		max = PasswordRules.MAX, message = PasswordRules.MESSAGE) String password) {

	/** Without the token and the password, which must not reach a log. */
	@Override
	public String toString() {
		return "SetPasswordRequest[token=[hidden], password=[hidden]]";
	}

}
