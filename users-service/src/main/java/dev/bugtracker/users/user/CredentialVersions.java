package dev.bugtracker.users.user;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.bugtracker.platform.security.CredentialCutOffs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The credentials version of each account: raised, in the transaction of the change, by
 * every cut-off of its credentials ({@link CredentialsRevoked}); written into every
 * access token issued for the account; and published as the list of recent cut-offs that
 * the services refuse older tokens by ({@link CredentialCutOffs}), with the access tokens
 * revoked lately ({@link RevokedAccessTokens}).
 */
@Component
public class CredentialVersions {

	private static final Logger log = LoggerFactory.getLogger(CredentialVersions.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final RevokedAccessTokens revokedTokens;

	CredentialVersions(JdbcClient jdbc, Clock clock, RevokedAccessTokens revokedTokens) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.revokedTokens = revokedTokens;
	}

	/**
	 * Raise the account's credentials version: its access tokens issued until now are
	 * refused by every service once they have fetched the cut-offs.
	 * @param revoked the account and why
	 */
	@EventListener
	@Order(Ordered.HIGHEST_PRECEDENCE)
	@Transactional(propagation = Propagation.MANDATORY)
	public void cutOff(CredentialsRevoked revoked) {
		this.jdbc
			.sql("update users set credentials_version = credentials_version + 1, credentials_cut_off_at = :at"
					+ " where id = :id")
			.param("at", Timestamp.from(this.clock.instant()))
			.param("id", revoked.userId())
			.update();
		log.info("Cut off the access tokens of user {}: {}", revoked.userId(), revoked.reason());
	}

	/**
	 * @param userId an account
	 * @return its credentials version, 0 until its first cut-off
	 */
	public long versionOf(long userId) {
		return this.jdbc.sql("select credentials_version from users where id = :id")
			.param("id", userId)
			.query(Long.class)
			.optional()
			.orElse(0L);
	}

	/**
	 * @param since the earliest cut-off wanted; null or earlier than
	 * {@link CredentialCutOffs#REMEMBERED} ago: that long ago
	 * @return the cut-offs since then and the access tokens revoked since then
	 * ({@link RevokedAccessTokens}), with the time of this answer
	 */
	public CredentialCutOffs.Feed since(Instant since) {
		Instant now = this.clock.instant();
		Instant oldest = now.minus(CredentialCutOffs.REMEMBERED);
		Instant from = (since == null || since.isBefore(oldest)) ? oldest : since;
		List<CredentialCutOffs.CutOff> cutOffs = this.jdbc
			.sql("select id, credentials_version, credentials_cut_off_at from users"
					+ " where credentials_cut_off_at >= :from")
			.param("from", Timestamp.from(from))
			.query((row, n) -> new CredentialCutOffs.CutOff(row.getLong(1), row.getLong(2),
					row.getTimestamp(3).toInstant()))
			.list();
		return new CredentialCutOffs.Feed(now, cutOffs, this.revokedTokens.since(from));
	}

}
