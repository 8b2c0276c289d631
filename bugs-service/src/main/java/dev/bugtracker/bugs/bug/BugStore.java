package dev.bugtracker.bugs.bug;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Bugs with their labels and watchers, in PostgreSQL or H2. Updates check the version
 * they were read at (optimistic locking).
 */
@Repository
class BugStore {

	static final String COLUMNS = "b.id, b.title, b.description, b.status, b.resolution, b.duplicate_of, b.priority, "
			+ "b.severity, b.reporter_id, b.assignee_id, b.created_at, b.updated_at, b.resolved_at, b.version";

	private final JdbcClient jdbc;

	BugStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<Bug> find(long id) {
		return find(id, "");
	}

	/**
	 * The bug, its row locked until the transaction ends: concurrent changes of one bug
	 * wait for each other, and each applies to the bug as the one before left it.
	 */
	Optional<Bug> findForUpdate(long id) {
		return find(id, " for update");
	}

	private Optional<Bug> find(long id, String lock) {
		return this.jdbc.sql("select " + COLUMNS + " from bug b where b.id = :id" + lock)
			.param("id", id)
			.query((rs, n) -> row(rs))
			.optional()
			.map((row) -> withCollections(List.of(row)).get(0));
	}

	Optional<Long> version(long id) {
		return this.jdbc.sql("select version from bug where id = :id").param("id", id).query(Long.class).optional();
	}

	boolean exists(long id) {
		return version(id).isPresent();
	}

	void insert(Bug bug) {
		KeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("""
				insert into bug (title, description, status, resolution, duplicate_of, priority, severity, reporter_id,
				                 assignee_id, created_at, updated_at, resolved_at, version)
				values (:title, :description, :status, :resolution, :duplicateOf, :priority, :severity, :reporterId,
				        :assigneeId, :createdAt, :updatedAt, :resolvedAt, 0)
				""").paramSource(params(bug)).update(keys, "id");
		bug.assignId(keys.getKey().longValue());
		replaceCollections(bug);
	}

	/**
	 * Write the bug's current state if it is still at {@code expectedVersion}, and step
	 * its version.
	 */
	void update(Bug bug, long expectedVersion) {
		Map<String, Object> params = params(bug);
		params.put("id", bug.getId());
		params.put("expected", expectedVersion);
		int updated = this.jdbc.sql("""
				update bug set title = :title, description = :description, status = :status,
				       resolution = :resolution, duplicate_of = :duplicateOf, priority = :priority,
				       severity = :severity, assignee_id = :assigneeId, updated_at = :updatedAt,
				       resolved_at = :resolvedAt, version = version + 1
				where id = :id and version = :expected
				""").params(params).update();
		if (updated != 1) {
			long actual = version(bug.getId()).orElseThrow(() -> new BugNotFoundException(bug.getId()));
			throw new StaleBugException(bug.getId(), expectedVersion, actual);
		}
		bug.nextVersion();
		replaceCollections(bug);
	}

	/**
	 * Load the labels and watchers of some bugs, in two queries whatever their number.
	 */
	List<Bug> withCollections(List<BugRow> rows) {
		if (rows.isEmpty()) {
			return List.of();
		}
		List<Long> ids = rows.stream().map(BugRow::id).toList();
		Map<Long, Set<String>> labels = new HashMap<>();
		this.jdbc.sql("select bug_id, label from bug_label where bug_id in (:ids)").param("ids", ids).query((rs) -> {
			labels.computeIfAbsent(rs.getLong(1), (id) -> new TreeSet<>()).add(rs.getString(2));
		});
		Map<Long, Set<Long>> watchers = new HashMap<>();
		this.jdbc.sql("select bug_id, user_id from bug_watcher where bug_id in (:ids)")
			.param("ids", ids)
			.query((rs) -> {
				watchers.computeIfAbsent(rs.getLong(1), (id) -> new TreeSet<>()).add(rs.getLong(2));
			});
		return rows.stream()
			.map((row) -> row.toBug(labels.getOrDefault(row.id(), Set.of()), watchers.getOrDefault(row.id(), Set.of())))
			.toList();
	}

	private void replaceCollections(Bug bug) {
		this.jdbc.sql("delete from bug_label where bug_id = :id").param("id", bug.getId()).update();
		for (String label : bug.getLabels()) {
			this.jdbc.sql("insert into bug_label (bug_id, label) values (:id, :label)")
				.param("id", bug.getId())
				.param("label", label)
				.update();
		}
		this.jdbc.sql("delete from bug_watcher where bug_id = :id").param("id", bug.getId()).update();
		for (Long watcher : bug.getWatchers()) {
			this.jdbc.sql("insert into bug_watcher (bug_id, user_id) values (:id, :user)")
				.param("id", bug.getId())
				.param("user", watcher)
				.update();
		}
	}

	private static Map<String, Object> params(Bug bug) {
		Map<String, Object> params = new HashMap<>();
		params.put("title", bug.getTitle());
		params.put("description", bug.getDescription());
		params.put("status", bug.getStatus().name());
		params.put("resolution", (bug.getResolution() != null) ? bug.getResolution().name() : null);
		params.put("duplicateOf", bug.getDuplicateOf());
		params.put("priority", bug.getPriority().code());
		params.put("severity", bug.getSeverity().code());
		params.put("reporterId", bug.getReporterId());
		params.put("assigneeId", bug.getAssigneeId());
		params.put("createdAt", utc(bug.getCreatedAt()));
		params.put("updatedAt", utc(bug.getUpdatedAt()));
		params.put("resolvedAt", utc(bug.getResolvedAt()));
		return params;
	}

	static OffsetDateTime utc(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	static BugRow row(ResultSet rs) throws SQLException {
		return new BugRow(rs.getLong("id"), rs.getString("title"), rs.getString("description"),
				Status.valueOf(rs.getString("status")),
				(rs.getString("resolution") != null) ? Resolution.valueOf(rs.getString("resolution")) : null,
				rs.getObject("duplicate_of", Long.class), Priority.ofCode(rs.getInt("priority")),
				Severity.ofCode(rs.getInt("severity")), rs.getObject("reporter_id", Long.class),
				rs.getObject("assignee_id", Long.class), instant(rs, "created_at"), instant(rs, "updated_at"),
				instant(rs, "resolved_at"), rs.getLong("version"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/** A bug row without its collections. */
	record BugRow(long id, String title, String description, Status status, Resolution resolution, Long duplicateOf,
			Priority priority, Severity severity, Long reporterId, Long assigneeId, Instant createdAt,
			Instant updatedAt, Instant resolvedAt, long version) {

		Bug toBug(Collection<String> labels, Collection<Long> watchers) {
			return new Bug(this.id, this.title, this.description, this.status, this.resolution, this.duplicateOf,
					this.priority, this.severity, this.reporterId, this.assigneeId, Set.copyOf(labels),
					Set.copyOf(watchers), this.createdAt, this.updatedAt, this.resolvedAt, this.version);
		}

	}

}
