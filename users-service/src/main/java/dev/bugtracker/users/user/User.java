package dev.bugtracker.users.user;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A registered user.
 */
@Table("users")
public class User {

	@Id
	private final Long id;

	private final String email;

	private final String displayName;

	private final Instant createdAt;

	@PersistenceCreator
	User(Long id, String email, String displayName, Instant createdAt) {
		this.id = id;
		this.email = email;
		this.displayName = displayName;
		this.createdAt = createdAt;
	}

	static User register(EmailAddress email, String displayName, Instant now) {
		return new User(null, email.value(), displayName, now);
	}

	/** Spring Data sets the generated id through this wither. */
	User withId(Long id) {
		return new User(id, this.email, this.displayName, this.createdAt);
	}

	public Long getId() {
		return this.id;
	}

	public String getEmail() {
		return this.email;
	}

	public String getDisplayName() {
		return this.displayName;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	/** How to greet this user: the display name if there is one, the email otherwise. */
	String greetingName() {
		return (this.displayName != null && !this.displayName.isBlank()) ? this.displayName : this.email;
	}

}
