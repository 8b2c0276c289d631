package dev.bugtracker.users.user;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The users table on real PostgreSQL, with the Flyway migrations the service runs in
 * production.
 */
@DataJdbcTest(properties = "spring.config.import=")
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import(EmbeddedPostgresTestConfiguration.class)
class UsersPostgresTest {

	private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

	@Autowired
	private Users users;

	@Test
	void storesAndReadsBackAUser() {
		User saved = this.users.save(User.register(EmailAddress.of("Bob@Example.com"), "Bob", NOW));

		User read = this.users.findById(saved.getId()).orElseThrow();
		assertThat(read.getEmail()).isEqualTo("bob@example.com");
		assertThat(read.getDisplayName()).isEqualTo("Bob");
		assertThat(read.getCreatedAt()).isEqualTo(NOW);
	}

	@Test
	void enforcesUniqueEmailInTheDatabase() {
		this.users.save(User.register(EmailAddress.of("carol@example.com"), null, NOW));

		assertThatExceptionOfType(DuplicateKeyException.class)
			.isThrownBy(() -> this.users.save(User.register(EmailAddress.of("CAROL@example.com"), null, NOW)));
	}

	@Test
	void findsByEmailAndPages() {
		for (int i = 0; i < 5; i++) {
			this.users.save(User.register(EmailAddress.of("page" + i + "@example.com"), null, NOW));
		}

		assertThat(this.users.existsByEmail("page3@example.com")).isTrue();
		assertThat(this.users.findByEmail("page3@example.com", PageRequest.of(0, 10)).getContent()).hasSize(1);
		Page<User> page = this.users.findAll(PageRequest.of(1, 2, Sort.by("id")));
		assertThat(page.getNumber()).isEqualTo(1);
		assertThat(page.getContent()).hasSize(2);
		assertThat(page.getTotalElements()).isGreaterThanOrEqualTo(5);
	}

}
