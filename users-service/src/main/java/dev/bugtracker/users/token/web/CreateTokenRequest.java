package dev.bugtracker.users.token.web;

import java.util.Set;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /auth/tokens}.
 *
 * @param name what the owner calls the token ("laptop", "CI")
 * @param scopes what it allows, e.g. {@code ["bugs:read", "bugs:write"]}
 * @param expiresInDays how long it lives; 30 when absent
 */
record CreateTokenRequest(
		@NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*",
				message = "must not contain control characters") String name,
		@NotEmpty Set<String> scopes, Integer expiresInDays) {
}
