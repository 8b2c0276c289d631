package dev.bugtracker.platform.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code idempotency_key} table. Each statement commits on its own: a key is claimed
 * before the request runs, so a concurrent repeat sees it at once.
 */
class IdempotencyStore {

	private final JdbcClient jdbc;

	private final Clock clock;

	IdempotencyStore(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Claim a key for a new request.
	 * @return empty if claimed, or the record that already holds the key
	 */
	Optional<Record> claim(String key, String fingerprint, Duration ttl, Duration lease) {
		Instant now = this.clock.instant();
		// Forget expired keys, and requests that held a key past their lease (their
		// instance died).
		this.jdbc.sql("""
				delete from idempotency_key where idempotency_key = :key
				  and (expires_at < :now or (state = 'IN_PROGRESS' and created_at < :abandoned))
				""").param("key", key).param("now", utc(now)).param("abandoned", utc(now.minus(lease))).update();
		try {
			this.jdbc.sql("""
					insert into idempotency_key (idempotency_key, fingerprint, state, created_at, expires_at)
					values (:key, :fingerprint, 'IN_PROGRESS', :now, :expires)
					""")
				.param("key", key)
				.param("fingerprint", fingerprint)
				.param("now", utc(now))
				.param("expires", utc(now.plus(ttl)))
				.update();
			return Optional.empty();
		}
		catch (DuplicateKeyException ex) {
			return this.jdbc
				.sql("select fingerprint, state, status, content_type, location, body from idempotency_key "
						+ "where idempotency_key = :key")
				.param("key", key)
				.query((rs, n) -> new Record(rs.getString("fingerprint"), "COMPLETED".equals(rs.getString("state")),
						rs.getInt("status"), rs.getString("content_type"), rs.getString("location"),
						rs.getString("body")))
				.optional()
				// Deleted in between (expired): treat as held; the client retries.
				.or(() -> Optional.of(new Record(fingerprint, false, 0, null, null, null)));
		}
	}

	void complete(String key, int status, String contentType, String location, String body) {
		this.jdbc.sql("""
				update idempotency_key set state = 'COMPLETED', status = :status, content_type = :contentType,
				       location = :location, body = :body
				where idempotency_key = :key
				""")
			.param("status", status)
			.param("contentType", contentType)
			.param("location", location)
			.param("body", body)
			.param("key", key)
			.update();
	}

	void release(String key) {
		this.jdbc.sql("delete from idempotency_key where idempotency_key = :key and state = 'IN_PROGRESS'")
			.param("key", key)
			.update();
	}

	int deleteExpired() {
		return this.jdbc.sql("delete from idempotency_key where expires_at < :now")
			.param("now", utc(this.clock.instant()))
			.update();
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/** What a key holds: the request's fingerprint and, once completed, its answer. */
	record Record(String fingerprint, boolean completed, int status, String contentType, String location, String body) {
	}

}
