package dev.bugtracker.users.token.web;

import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bugtracker.users.token.PersonalAccessToken;

/**
 * A personal access token as its owner sees it. {@code token} is there only in the answer
 * that created it.
 *
 * @param id the token's id (to revoke it)
 * @param name what the owner calls it
 * @param scopes what it allows
 * @param createdAt when it was created
 * @param expiresAt when it stops working
 * @param lastUsedAt when it was last used (to the minute), or null
 * @param revokedAt when it was revoked, or null
 * @param token the token itself, once
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TokenResponse(long id, String name, Set<String> scopes, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
		Instant revokedAt, String token) {

	static TokenResponse of(PersonalAccessToken token, String value) {
		return new TokenResponse(token.getId(), token.getName(), token.getScopes(), token.getCreatedAt(),
				token.getExpiresAt(), token.getLastUsedAt(), token.getRevokedAt(), value);
	}

}
