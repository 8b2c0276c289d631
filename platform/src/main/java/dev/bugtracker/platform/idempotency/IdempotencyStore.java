package dev.bugtracker.platform.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code idempotency_key} table: the answer to each keyed request, written in the
 * transaction of the change it answers, so that the two commit together or not at all.
 */
class IdempotencyStore {

	private final JdbcClient jdbc;

	private final Clock clock;

	IdempotencyStore(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * @param key the idempotency key
	 * @return the answer recorded for the key, unless there is none or it expired
	 */
	Optional<Record> find(String key) {
		return this.jdbc.sql("""
				select fingerprint, status, content_type, location, body from idempotency_key
				where idempotency_key = :key and state = 'COMPLETED' and expires_at >= :now
				""")
			.param("key", key)
			.param("now", utc(this.clock.instant()))
			.query((rs, n) -> new Record(rs.getString("fingerprint"), rs.getInt("status"), rs.getString("content_type"),
					rs.getString("location"), rs.getString("body")))
			.optional();
	}

	/**
	 * Record the answer to a keyed request, in the caller's transaction. An expired
	 * record of the key makes room.
	 * @throws org.springframework.dao.DuplicateKeyException if another request with the
	 * key recorded its answer first (and committed); with PostgreSQL, the insert waits
	 * for a concurrent one to commit or roll back
	 */
	void record(String key, Record record, Duration ttl) {
		Instant now = this.clock.instant();
		this.jdbc.sql("delete from idempotency_key where idempotency_key = :key and expires_at < :now")
			.param("key", key)
			.param("now", utc(now))
			.update();
		this.jdbc.sql("""
				insert into idempotency_key (idempotency_key, fingerprint, state, status, content_type, location, body,
				                             created_at, expires_at)
				values (:key, :fingerprint, 'COMPLETED', :status, :contentType, :location, :body, :now, :expires)
				""")
			.param("key", key)
			.param("fingerprint", record.fingerprint())
			.param("status", record.status())
			.param("contentType", record.contentType())
			.param("location", record.location())
			.param("body", record.body())
			.param("now", utc(now))
			.param("expires", utc(now.plus(ttl)))
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

	/** A keyed request's fingerprint and its answer. */
	record Record(String fingerprint, int status, String contentType, String location, String body) {
	}

}
