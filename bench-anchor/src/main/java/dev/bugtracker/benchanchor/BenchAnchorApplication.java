package dev.bugtracker.benchanchor;

import java.time.Instant;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The ceiling that {@code scripts/bench.sh} holds users-service's {@code GET /users/{id}}
 * against: the same read (a user's row by primary key, then its role grants, as Spring
 * Data JDBC loads the aggregate) in an embedded H2 database as users-service's local
 * profile uses, answered with the same JSON, by Spring MVC on virtual threads, and
 * nothing else: no security, no discovery, no metrics, no tracing, no logging per
 * request. What users-service reaches of this figure is what everything else costs.
 */
@SpringBootApplication
@RestController
public class BenchAnchorApplication {

	private final JdbcClient jdbc;

	BenchAnchorApplication(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param id the user's id
	 * @return the user's public profile, as users-service answers it to a stranger
	 */
	@GetMapping("/users/{id}")
	UserResponse get(@PathVariable long id) {
		UserResponse user = this.jdbc.sql("SELECT id, email, display_name, created_at FROM users WHERE id = ?")
			.param(id)
			.query((row, n) -> new UserResponse(row.getLong("id"), row.getString("display_name"),
					row.getTimestamp("created_at").toInstant()))
			.optional()
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		// Loaded with the row, as users-service's aggregate is; a stranger is not shown
		// them.
		this.jdbc.sql("SELECT role FROM user_roles WHERE user_id = ?").param(id).query(String.class).list();
		return user;
	}

	/**
	 * A user's public profile.
	 *
	 * @param id the user's id
	 * @param displayName the name shown to others
	 * @param createdAt when the account was made
	 */
	record UserResponse(long id, String displayName, Instant createdAt) {
	}

	public static void main(String[] args) {
		SpringApplication.run(BenchAnchorApplication.class, args);
	}

}
