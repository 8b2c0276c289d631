package dev.bugtracker.bugs.bug;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The bug table on real PostgreSQL, with the service's Flyway migrations.
 */
@DataJdbcTest(properties = "spring.config.import=")
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import(EmbeddedPostgresTestConfiguration.class)
class BugsPostgresTest {

	@Autowired
	private Bugs bugs;

	@Test
	void storesAndReadsBackABug() {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		Bug saved = this.bugs.save(Bug.report("Login button does nothing", now));

		Bug read = this.bugs.findById(saved.getId()).orElseThrow();
		assertThat(read.getTitle()).isEqualTo("Login button does nothing");
		assertThat(read.getCreatedAt()).isEqualTo(now);
	}

	@Test
	void theSchemaRefusesOverlongTitles() {
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.bugs.save(Bug.report("x".repeat(Bug.MAX_TITLE + 1), Instant.now())));
	}

}
