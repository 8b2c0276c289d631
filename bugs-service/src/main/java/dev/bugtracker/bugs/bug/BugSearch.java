package dev.bugtracker.bugs.bug;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Searches bugs with SQL built from the criteria, using the indexes of the V2/V3
 * migrations. Text search is PostgreSQL full-text search ({@code websearch_to_tsquery} on
 * a generated, GIN-indexed {@code tsvector}); on H2, the local default, every word must
 * appear in the title or description (case-insensitive {@code LIKE}).
 */
@Repository
class BugSearch {

	private static final Map<String, String> SORT_COLUMNS = Map.of("id", "b.id", "createdAt", "b.created_at",
			"updatedAt", "b.updated_at", "priority", "b.priority", "severity", "b.severity", "status", "b.status",
			"title", "b.title");

	private final JdbcClient jdbc;

	private final BugStore store;

	private final boolean postgres;

	BugSearch(JdbcClient jdbc, BugStore store, DataSource dataSource) throws SQLException {
		this.jdbc = jdbc;
		this.store = store;
		try (Connection connection = dataSource.getConnection()) {
			this.postgres = connection.getMetaData()
				.getDatabaseProductName()
				.toLowerCase(Locale.ROOT)
				.contains("postgres");
		}
	}

	Page<Bug> search(BugQuery query, Pageable pageable) {
		StringBuilder where = new StringBuilder(" where 1 = 1");
		Map<String, Object> params = new HashMap<>();
		if (query.statuses() != null && !query.statuses().isEmpty()) {
			where.append(" and b.status in (:statuses)");
			params.put("statuses", query.statuses().stream().map(Enum::name).toList());
		}
		if (query.unassigned()) {
			where.append(" and b.assignee_id is null");
		}
		else if (query.assignee() != null) {
			where.append(" and b.assignee_id = :assignee");
			params.put("assignee", query.assignee());
		}
		if (query.reporter() != null) {
			where.append(" and b.reporter_id = :reporter");
			params.put("reporter", query.reporter());
		}
		if (query.label() != null) {
			where.append(" and exists (select 1 from bug_label l where l.bug_id = b.id and l.label = :label)");
			params.put("label", query.label().toLowerCase(Locale.ROOT));
		}
		if (query.priority() != null) {
			where.append(" and b.priority = :priority");
			params.put("priority", query.priority().code());
		}
		if (query.severity() != null) {
			where.append(" and b.severity = :severity");
			params.put("severity", query.severity().code());
		}
		if (query.text() != null && !query.text().isBlank()) {
			appendText(query.text(), where, params);
		}
		String sql = "select " + BugStore.COLUMNS + " from bug b" + where + orderBy(pageable.getSort())
				+ " limit :limit offset :offset";
		params.put("limit", pageable.getPageSize());
		params.put("offset", pageable.getOffset());
		List<BugStore.BugRow> rows = this.jdbc.sql(sql).params(params).query((rs, n) -> BugStore.row(rs)).list();
		long total = (pageable.getOffset() == 0 && rows.size() < pageable.getPageSize()) ? rows.size()
				: this.jdbc.sql("select count(*) from bug b" + where).params(params).query(Long.class).single();
		return new PageImpl<>(this.store.withCollections(rows), pageable, total);
	}

	private void appendText(String text, StringBuilder where, Map<String, Object> params) {
		if (this.postgres) {
			where.append(" and b.search @@ websearch_to_tsquery('english', :text)");
			params.put("text", text);
			return;
		}
		List<String> words = new ArrayList<>(List.of(text.toLowerCase(Locale.ROOT).trim().split("\\s+")));
		for (int i = 0; i < words.size() && i < 10; i++) {
			String name = "word" + i;
			where.append(" and (lower(b.title) like :")
				.append(name)
				.append(" escape '\\'")
				.append(" or lower(b.description) like :")
				.append(name)
				.append(" escape '\\')");
			params.put(name, "%" + words.get(i).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
		}
	}

	private static String orderBy(Sort sort) {
		List<String> orders = new ArrayList<>();
		for (Sort.Order order : sort) {
			String column = SORT_COLUMNS.get(order.getProperty());
			if (column == null) {
				throw new InvalidBugException("sort",
						"cannot sort by '" + order.getProperty() + "'; sortable fields are " + BugQuery.SORTABLE);
			}
			orders.add(column + (order.isAscending() ? " asc" : " desc"));
		}
		if (orders.isEmpty()) {
			orders.add("b.updated_at desc");
		}
		else if (orders.size() == 1 && !orders.get(0).startsWith("b.updated_at") && !orders.get(0).startsWith("b.id")) {
			// Ties broken by recency: the (field, updated_at) indexes then serve the
			// order directly.
			orders.add("b.updated_at desc");
		}
		orders.add("b.id desc");
		return " order by " + String.join(", ", orders);
	}

}
