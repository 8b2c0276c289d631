package dev.bugtracker.users.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/**
 * All personal access tokens.
 */
interface PersonalAccessTokens extends ListCrudRepository<PersonalAccessToken, Long> {

	Optional<PersonalAccessToken> findByTokenHash(String tokenHash);

	List<PersonalAccessToken> findByUserIdOrderById(long userId);

	Optional<PersonalAccessToken> findByIdAndUserId(long id, long userId);

	/**
	 * Revoke every active token of a user.
	 * @return how many were
	 */
	@Modifying
	@Query("update personal_access_token set revoked_at = :now where user_id = :userId and revoked_at is null")
	int revokeAll(long userId, Instant now);

	/**
	 * Record a use, at most once a minute per token: uses are frequent, this is a hint.
	 */
	@Modifying
	@Query("update personal_access_token set last_used_at = :now where id = :id "
			+ "and (last_used_at is null or last_used_at < :aMinuteAgo)")
	void touch(long id, Instant now, Instant aMinuteAgo);

}
