package dev.bugtracker.bugs.bug;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code bug_history} table: appended to in the transaction of each change.
 */
@Repository
class HistoryStore {

	private final JdbcClient jdbc;

	HistoryStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void append(long bugId, Long actorId, Instant at, String action, List<Change> changes) {
		if (changes.isEmpty()) {
			append(bugId, actorId, at, action, new Change(null, null, null));
			return;
		}
		for (Change change : changes) {
			append(bugId, actorId, at, action, change);
		}
	}

	void append(long bugId, Long actorId, Instant at, String action, Change change) {
		this.jdbc.sql("""
				insert into bug_history (bug_id, actor_id, at, action, field, old_value, new_value)
				values (:bugId, :actorId, :at, :action, :field, :oldValue, :newValue)
				""")
			.param("bugId", bugId)
			.param("actorId", actorId)
			.param("at", BugStore.utc(at))
			.param("action", action)
			.param("field", change.field())
			.param("oldValue", change.oldValue())
			.param("newValue", change.newValue())
			.update();
	}

	Page<HistoryEntry> list(long bugId, Pageable pageable) {
		List<HistoryEntry> entries = this.jdbc.sql("""
				select id, actor_id, at, action, field, old_value, new_value from bug_history
				where bug_id = :bugId order by id limit :limit offset :offset
				""")
			.param("bugId", bugId)
			.param("limit", pageable.getPageSize())
			.param("offset", pageable.getOffset())
			.query((rs, n) -> new HistoryEntry(rs.getLong("id"), rs.getObject("actor_id", Long.class),
					rs.getObject("at", OffsetDateTime.class).toInstant(), rs.getString("action"), rs.getString("field"),
					rs.getString("old_value"), rs.getString("new_value")))
			.list();
		long total = this.jdbc.sql("select count(*) from bug_history where bug_id = :bugId")
			.param("bugId", bugId)
			.query(Long.class)
			.single();
		return new PageImpl<>(entries, pageable, total);
	}

}
