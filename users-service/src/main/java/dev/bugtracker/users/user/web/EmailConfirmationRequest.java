package dev.bugtracker.users.user.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /users/me/email-confirmation}: the token of the welcome email's
 * confirmation link.
 *
 * @param token the token of the link
 */
record EmailConfirmationRequest(@NotBlank @Size(max = 100) String token) {

	/** Without the token, which must not reach a log. */
	@Override
	public String toString() {
		return "EmailConfirmationRequest[token=[hidden]]";
	}

}
