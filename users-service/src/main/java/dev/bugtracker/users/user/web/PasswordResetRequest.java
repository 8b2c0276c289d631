package dev.bugtracker.users.user.web;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /users/password/reset}.
 *
 * @param email the address of the account whose password is forgotten
 */
record PasswordResetRequest(@NotBlank @Size(max = 254) @Email(message = "must be a valid email address",
		regexp = "^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$") String email) {
}
