package dev.bugtracker.users.user.web;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /users} and {@code POST /users/create}.
 *
 * @param email the user's email address; required, unique, stored lower-cased
 * @param displayName an optional name to show instead of the email
 */
record CreateUserRequest(
		@NotBlank @Size(max = 254) @Email(message = "must be a valid email address",
				regexp = "^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$") String email,
		@Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*",
				message = "must not contain control characters") String displayName,
		@Size(min = PasswordRules.MIN, max = PasswordRules.MAX, message = PasswordRules.MESSAGE) String password) {

	/** Without the password, which must not reach a log. */
	@Override
	public String toString() {
		return "CreateUserRequest[email=" + this.email + ", displayName=" + this.displayName + ", password="
				+ ((this.password != null) ? "[hidden]" : "null") + "]";
	}

}
