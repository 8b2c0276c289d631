package dev.bugtracker.platform.test;

import java.io.IOException;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A real PostgreSQL server for repository tests (the production database), started from
 * the embedded binaries on a free port and stopped with the test context. Import it and
 * disable the test database replacement:
 * {@code @AutoConfigureTestDatabase(replace = NONE)}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class EmbeddedPostgresTestConfiguration {

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres() throws IOException {
		return EmbeddedPostgres.builder().start();
	}

	/**
	 * Pooled like production (Hikari): a fresh PostgreSQL connection per statement would
	 * dominate timings.
	 */
	@Bean
	DataSource dataSource(EmbeddedPostgres postgres) {
		return DataSourceBuilder.create()
			.url(postgres.getJdbcUrl("postgres", "postgres"))
			.username("postgres")
			.password("postgres")
			.build();
	}

}
