package dev.bugtracker.users.token;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A personal access token as stored: its hash, never the token.
 */
@Table("personal_access_token")
public class PersonalAccessToken {

	@Id
	private final Long id;

	private final long userId;

	private final String name;

	private final String tokenHash;

	private final String scopes;

	private final Instant createdAt;

	private final Instant expiresAt;

	private final Instant lastUsedAt;

	private final Instant revokedAt;

	@PersistenceCreator
	PersonalAccessToken(Long id, long userId, String name, String tokenHash, String scopes, Instant createdAt,
			Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {
		this.id = id;
		this.userId = userId;
		this.name = name;
		this.tokenHash = tokenHash;
		this.scopes = scopes;
		this.createdAt = createdAt;
		this.expiresAt = expiresAt;
		this.lastUsedAt = lastUsedAt;
		this.revokedAt = revokedAt;
	}

	static PersonalAccessToken create(long userId, String name, String tokenHash, Set<String> scopes, Instant now,
			Instant expiresAt) {
		return new PersonalAccessToken(null, userId, name, tokenHash, String.join(" ", scopes), now, expiresAt, null,
				null);
	}

	PersonalAccessToken withId(Long id) {
		return new PersonalAccessToken(id, this.userId, this.name, this.tokenHash, this.scopes, this.createdAt,
				this.expiresAt, this.lastUsedAt, this.revokedAt);
	}

	PersonalAccessToken revoked(Instant now) {
		return (this.revokedAt != null) ? this : new PersonalAccessToken(this.id, this.userId, this.name,
				this.tokenHash, this.scopes, this.createdAt, this.expiresAt, this.lastUsedAt, now);
	}

	/**
	 * @param now the time
	 * @return whether the token works now: neither revoked nor expired
	 */
	public boolean isActive(Instant now) {
		return this.revokedAt == null && now.isBefore(this.expiresAt);
	}

	public Long getId() {
		return this.id;
	}

	public long getUserId() {
		return this.userId;
	}

	public String getName() {
		return this.name;
	}

	public Set<String> getScopes() {
		return new LinkedHashSet<>(Arrays.asList(this.scopes.split(" ")));
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public Instant getExpiresAt() {
		return this.expiresAt;
	}

	public Instant getLastUsedAt() {
		return this.lastUsedAt;
	}

	public Instant getRevokedAt() {
		return this.revokedAt;
	}

}
