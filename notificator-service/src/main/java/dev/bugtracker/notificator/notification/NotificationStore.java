package dev.bugtracker.notificator.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code notification} table.
 */
@Repository
class NotificationStore {

	private static final String COLUMNS = "id, idempotency_key, recipient, subject, body, status, created_at";

	private final JdbcClient jdbc;

	private final Clock clock;

	NotificationStore(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	void insert(UUID id, EmailRequest request) {
		OffsetDateTime now = now();
		this.jdbc.sql("""
				insert into notification (id, idempotency_key, channel, recipient, subject, body, status, attempts,
				                          created_at, updated_at)
				values (:id, :key, 'EMAIL', :recipient, :subject, :body, 'PENDING', 0, :now, :now)
				""")
			.param("id", id)
			.param("key", request.idempotencyKey())
			.param("recipient", request.recipient())
			.param("subject", request.subject())
			.param("body", request.body())
			.param("now", now)
			.update();
	}

	boolean existsByKey(String key) {
		return this.jdbc.sql("select count(*) from notification where idempotency_key = :key")
			.param("key", key)
			.query(Long.class)
			.single() > 0;
	}

	/** Reads and row-locks the notification until the transaction ends. */
	Optional<Notification> lockByKey(String key) {
		return this.jdbc.sql("select " + COLUMNS + " from notification where idempotency_key = :key for update")
			.param("key", key)
			.query(NotificationStore::map)
			.optional();
	}

	Optional<Notification> findById(UUID id) {
		return this.jdbc.sql("select " + COLUMNS + " from notification where id = :id")
			.param("id", id)
			.query(NotificationStore::map)
			.optional();
	}

	void markSent(UUID id) {
		OffsetDateTime now = now();
		this.jdbc.sql("""
				update notification set status = 'SENT', attempts = attempts + 1, sent_at = :now, updated_at = :now,
				       last_error = null
				where id = :id
				""").param("now", now).param("id", id).update();
	}

	void markFailed(UUID id, String error) {
		this.jdbc.sql("""
				update notification set status = 'FAILED', attempts = attempts + 1, updated_at = :now,
				       last_error = :error
				where id = :id
				""")
			.param("now", now())
			.param("error", (error != null && error.length() > 1000) ? error.substring(0, 1000) : error)
			.param("id", id)
			.update();
	}

	private OffsetDateTime now() {
		return this.clock.instant().atOffset(ZoneOffset.UTC);
	}

	private static Notification map(ResultSet rs, int row) throws SQLException {
		return new Notification(rs.getObject("id", UUID.class), rs.getString("idempotency_key"),
				rs.getString("recipient"), rs.getString("subject"), rs.getString("body"),
				Notification.Status.valueOf(rs.getString("status")),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

}
