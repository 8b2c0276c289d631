package dev.bugtracker.platform.idempotency;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.bugtracker.platform.flyway.FlywayLocations;
import dev.bugtracker.platform.security.Secrets;
import dev.bugtracker.platform.web.ProblemWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Honours {@code Idempotency-Key} on the write paths a service lists in
 * {@code bugtracker.idempotency.paths}, when {@code bugtracker.idempotency.enabled=true}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "bugtracker.idempotency", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(IdempotencyProperties.class)
public final class IdempotencyAutoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyAutoConfiguration.class);

	/** Where the {@code idempotency_key} schema lives (a repeatable Flyway migration). */
	public static final String SCHEMA_LOCATION = "classpath:db/idempotency";

	@Bean
	@ConditionalOnClass(FlywayConfigurationCustomizer.class)
	FlywayConfigurationCustomizer idempotencySchema() {
		return FlywayLocations.adding(SCHEMA_LOCATION);
	}

	@Bean
	IdempotencyStore idempotencyStore(JdbcClient jdbc, Clock clock) {
		return new IdempotencyStore(jdbc, clock);
	}

	/**
	 * After Spring Security's filters (which run at
	 * {@link SecurityFilterProperties#DEFAULT_FILTER_ORDER}): a request is authenticated
	 * and authorized before a stored answer is looked up, and a refused one never gets
	 * that far.
	 */
	@Bean
	FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(IdempotencyStore store,
			PlatformTransactionManager transactionManager, IdempotencyProperties properties, JsonMapper mapper,
			Environment environment) {
		String secret = Secrets.require(environment, "bugtracker.idempotency.secret", "IDEMPOTENCY_SECRET",
				"the key of the digests that Idempotency-Key records are stored under");
		FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(new IdempotencyFilter(
				store, new TransactionTemplate(transactionManager), properties, new ProblemWriter(mapper), secret));
		registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 10);
		return registration;
	}

	/**
	 * A keyed request runs in one transaction from its start; the data source hands that
	 * transaction a pooled connection only at its first statement, so that a request that
	 * first calls another service (bugs-service looking up users) does not hold a
	 * connection while it waits.
	 */
	@Bean
	static BeanPostProcessor lazyConnectionDataSource() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof DataSource dataSource && !(bean instanceof LazyConnectionDataSourceProxy))
						? new ClosingLazyConnectionDataSource(dataSource) : bean;
			}

		};
	}

	/**
	 * Lazy connections that close the pool with the context (the pool's own close method
	 * is no longer the bean's).
	 */
	static final class ClosingLazyConnectionDataSource extends LazyConnectionDataSourceProxy implements AutoCloseable {

		ClosingLazyConnectionDataSource(DataSource target) {
			super(target);
		}

		@Override
		public void close() throws Exception {
			if (obtainTargetDataSource() instanceof AutoCloseable closeable) {
				closeable.close();
			}
		}

	}

	/** Deletes expired keys every ten minutes. */
	@Bean
	SmartLifecycle idempotencyKeyJanitor(IdempotencyStore store) {
		return new SmartLifecycle() {

			private volatile ScheduledExecutorService executor;

			@Override
			public void start() {
				this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
					Thread thread = new Thread(runnable, "idempotency-key-janitor");
					thread.setDaemon(true);
					return thread;
				});
				this.executor.scheduleWithFixedDelay(() -> {
					try {
						int deleted = store.deleteExpired();
						if (deleted > 0) {
							log.info("Removed {} expired idempotency keys", deleted);
						}
					}
					catch (RuntimeException ex) {
						log.warn("Could not remove expired idempotency keys: {}", ex.toString());
					}
				}, 1, 10, TimeUnit.MINUTES);
			}

			@Override
			public void stop() {
				ScheduledExecutorService running = this.executor;
				this.executor = null;
				if (running != null) {
					running.shutdownNow();
				}
			}

			@Override
			public boolean isRunning() {
				return this.executor != null;
			}

		};
	}

}
