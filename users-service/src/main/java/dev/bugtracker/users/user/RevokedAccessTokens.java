package dev.bugtracker.users.user;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.bugtracker.platform.security.CredentialCutOffs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The access tokens invalidated before they expire, by their id ({@code jti}): published
 * with the credential cut-offs ({@link CredentialVersions#since}), so that every service
 * refuses them ({@link CredentialCutOffs}), and forgotten once they have expired.
 */
@Component
public class RevokedAccessTokens {

	private static final Logger log = LoggerFactory.getLogger(RevokedAccessTokens.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	RevokedAccessTokens(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Remember a token as revoked (again: no change), and forget those that have expired.
	 * @param tokenId its id ({@code jti})
	 * @param expiresAt when it expires
	 */
	public void revoke(String tokenId, Instant expiresAt) {
		Instant now = this.clock.instant();
		this.jdbc.sql("delete from revoked_access_token where expires_at < :now")
			.param("now", Timestamp.from(now))
			.update();
		if (!expiresAt.isAfter(now)) {
			return;
		}
		try {
			this.jdbc
				.sql("insert into revoked_access_token (token_id, expires_at, revoked_at)"
						+ " values (:id, :expiresAt, :now)")
				.param("id", tokenId)
				.param("expiresAt", Timestamp.from(expiresAt))
				.param("now", Timestamp.from(now))
				.update();
			log.info("Revoked access token {} (it would have expired at {})", tokenId, expiresAt);
		}
		catch (DuplicateKeyException ex) {
			// Revoked before: it stays so.
		}
	}

	/**
	 * @param from the earliest revocation wanted
	 * @return the tokens revoked since then that have not expired
	 */
	List<CredentialCutOffs.RevokedToken> since(Instant from) {
		return this.jdbc
			.sql("select token_id, expires_at, revoked_at from revoked_access_token"
					+ " where revoked_at >= :from and expires_at > :now")
			.param("from", Timestamp.from(from))
			.param("now", Timestamp.from(this.clock.instant()))
			.query((row, n) -> new CredentialCutOffs.RevokedToken(row.getString(1), row.getTimestamp(2).toInstant(),
					row.getTimestamp(3).toInstant()))
			.list();
	}

}
