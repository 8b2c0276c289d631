package dev.bugtracker.platform.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code email_outbox} table. Works on PostgreSQL and on H2, and is safe with several
 * instances: a row is claimed by moving its {@code next_attempt_at} forward by a lease
 * with a compare-and-set, so only one instance delivers it, and a crashed instance's rows
 * come due again when the lease ends. Delivered and abandoned rows have no
 * {@code next_attempt_at}.
 */
class OutboxStore {

	private final JdbcClient jdbc;

	private final Clock clock;

	OutboxStore(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	void insert(OutgoingEmail email, String traceParent) {
		OffsetDateTime now = now();
		this.jdbc.sql("""
				insert into email_outbox (idempotency_key, recipient, subject, body, trace_parent, created_at,
				                          next_attempt_at, attempts)
				values (:key, :recipient, :subject, :body, :traceParent, :now, :now, 0)
				""")
			.param("key", email.idempotencyKey())
			.param("recipient", email.recipient())
			.param("subject", email.subject())
			.param("body", email.body())
			.param("traceParent", traceParent)
			.param("now", now)
			.update();
	}

	List<PendingEmail> claimDue(int limit, Duration lease) {
		OffsetDateTime now = now();
		OffsetDateTime until = now.plus(lease);
		List<DueRow> due = this.jdbc.sql("""
				select id, idempotency_key, recipient, subject, body, trace_parent, attempts, next_attempt_at
				from email_outbox where next_attempt_at <= :now order by next_attempt_at, id limit :limit
				""")
			.param("now", now)
			.param("limit", limit)
			.query((rs, n) -> new DueRow(rs.getLong("id"),
					new OutgoingEmail(rs.getString("idempotency_key"), rs.getString("recipient"),
							rs.getString("subject"), rs.getString("body")),
					rs.getString("trace_parent"), rs.getInt("attempts"),
					rs.getObject("next_attempt_at", OffsetDateTime.class)))
			.list();
		List<PendingEmail> claimed = new ArrayList<>(due.size());
		for (DueRow row : due) {
			int updated = this.jdbc
				.sql("update email_outbox set next_attempt_at = :until where id = :id and next_attempt_at = :seen")
				.param("until", until)
				.param("id", row.id())
				.param("seen", row.nextAttemptAt())
				.update();
			if (updated == 1) {
				claimed
					.add(new PendingEmail(row.id(), row.email(), row.traceParent(), row.attempts(), until.toInstant()));
			}
		}
		return claimed;
	}

	void markDelivered(PendingEmail email, String notificationId) {
		this.jdbc.sql("""
				update email_outbox set delivered_at = :now, next_attempt_at = null, attempts = attempts + 1,
				       notification_id = :notificationId, last_error = null
				where id = :id
				""").param("now", now()).param("notificationId", notificationId).param("id", email.id()).update();
	}

	void reschedule(PendingEmail email, Instant nextAttempt, String error) {
		this.jdbc.sql("""
				update email_outbox set next_attempt_at = :next, attempts = attempts + 1, last_error = :error
				where id = :id
				""")
			.param("next", nextAttempt.atOffset(ZoneOffset.UTC))
			.param("error", truncate(error))
			.param("id", email.id())
			.update();
	}

	/** Give a claimed row back without counting an attempt. */
	void release(PendingEmail email, Instant nextAttempt) {
		this.jdbc.sql("update email_outbox set next_attempt_at = :next where id = :id")
			.param("next", nextAttempt.atOffset(ZoneOffset.UTC))
			.param("id", email.id())
			.update();
	}

	void markDead(PendingEmail email, String error) {
		this.jdbc.sql("""
				update email_outbox set dead_at = :now, next_attempt_at = null, attempts = attempts + 1,
				       last_error = :error
				where id = :id
				""").param("now", now()).param("error", truncate(error)).param("id", email.id()).update();
	}

	Backlog backlog() {
		return this.jdbc.sql("""
				select count(*) as size, min(created_at) as oldest from email_outbox where next_attempt_at is not null
				""").query((rs, n) -> {
			OffsetDateTime oldest = rs.getObject("oldest", OffsetDateTime.class);
			return new Backlog(rs.getLong("size"), (oldest != null) ? oldest.toInstant() : null);
		}).single();
	}

	int deleteDeliveredBefore(Instant cutoff) {
		return this.jdbc.sql("delete from email_outbox where delivered_at < :cutoff")
			.param("cutoff", cutoff.atOffset(ZoneOffset.UTC))
			.update();
	}

	private OffsetDateTime now() {
		return this.clock.instant().atOffset(ZoneOffset.UTC);
	}

	private static String truncate(String error) {
		return (error != null && error.length() > 1000) ? error.substring(0, 1000) : error;
	}

	/**
	 * The emails waiting for delivery.
	 *
	 * @param size how many
	 * @param oldest when the oldest was recorded, {@code null} if none waits
	 */
	record Backlog(long size, Instant oldest) {
	}

	private record DueRow(long id, OutgoingEmail email, String traceParent, int attempts,
			OffsetDateTime nextAttemptAt) {
	}

}
