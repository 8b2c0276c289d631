package dev.bugtracker.bugs.bug;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A reported bug.
 */
@Table("bug")
public class Bug {

	/** Longest title a bug may have. */
	public static final int MAX_TITLE = 200;

	@Id
	private final Long id;

	private final String title;

	private final Instant createdAt;

	@PersistenceCreator
	Bug(Long id, String title, Instant createdAt) {
		this.id = id;
		this.title = title;
		this.createdAt = createdAt;
	}

	static Bug report(String title, Instant now) {
		return new Bug(null, title, now);
	}

	Bug withId(Long id) {
		return new Bug(id, this.title, this.createdAt);
	}

	public Long getId() {
		return this.id;
	}

	public String getTitle() {
		return this.title;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

}
