package dev.bugtracker.bugs.bug;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * The {@code bug_comment} table.
 */
@Repository
class CommentStore {

	private final JdbcClient jdbc;

	CommentStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Comment insert(long bugId, long authorId, String body, Instant now) {
		KeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("""
				insert into bug_comment (bug_id, author_id, body, created_at, updated_at)
				values (:bugId, :authorId, :body, :now, :now)
				""")
			.param("bugId", bugId)
			.param("authorId", authorId)
			.param("body", body)
			.param("now", BugStore.utc(now))
			.update(keys, "id");
		return new Comment(keys.getKey().longValue(), bugId, authorId, body, now, now);
	}

	Optional<Comment> find(long bugId, long commentId) {
		return this.jdbc.sql("select * from bug_comment where id = :id and bug_id = :bugId")
			.param("id", commentId)
			.param("bugId", bugId)
			.query((rs, n) -> map(rs))
			.optional();
	}

	void updateBody(long commentId, String body, Instant now) {
		this.jdbc.sql("update bug_comment set body = :body, updated_at = :now where id = :id")
			.param("body", body)
			.param("now", BugStore.utc(now))
			.param("id", commentId)
			.update();
	}

	void delete(long commentId) {
		this.jdbc.sql("delete from bug_comment where id = :id").param("id", commentId).update();
	}

	Page<Comment> list(long bugId, Pageable pageable) {
		List<Comment> comments = this.jdbc
			.sql("select * from bug_comment where bug_id = :bugId order by id limit :limit offset :offset")
			.param("bugId", bugId)
			.param("limit", pageable.getPageSize())
			.param("offset", pageable.getOffset())
			.query((rs, n) -> map(rs))
			.list();
		long total = this.jdbc.sql("select count(*) from bug_comment where bug_id = :bugId")
			.param("bugId", bugId)
			.query(Long.class)
			.single();
		return new PageImpl<>(comments, pageable, total);
	}

	private static Comment map(ResultSet rs) throws SQLException {
		return new Comment(rs.getLong("id"), rs.getLong("bug_id"), rs.getLong("author_id"), rs.getString("body"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant());
	}

}
