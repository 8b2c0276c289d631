package dev.bugtracker.platform.resilience;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import io.github.resilience4j.springboot3.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot3.timelimiter.autoconfigure.TimeLimiterAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JAutoConfiguration;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a circuit breaker runs sees its caller's observation (and so its trace), with many
 * callers at once, each its own.
 */
class CircuitBreakerContextAutoConfigurationTest {

	private static final int CALLERS = 16;

	// As configs/application.yml sets it for every service.
	private final ApplicationContextRunner withoutIt = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CircuitBreakerAutoConfiguration.class, BulkheadAutoConfiguration.class,
				TimeLimiterAutoConfiguration.class, Resilience4JAutoConfiguration.class))
		.withPropertyValues("spring.cloud.circuitbreaker.resilience4j.enable-semaphore-default-bulkhead=true");

	private final ApplicationContextRunner contexts = this.withoutIt
		.withConfiguration(AutoConfigurations.of(CircuitBreakerContextAutoConfiguration.class));

	@Test
	void aGuardedCallRunsOnTheBreakersThreadsInItsCallersObservation() {
		this.contexts.run((context) -> {
			CircuitBreaker breaker = context.getBean(CircuitBreakerFactory.class).create("guarded");
			assertThat(callersAndGuardedCalls(breaker)).allSatisfy((seen) -> {
				assertThat(seen.thread()).startsWith("circuit-breaker-");
				assertThat(seen.observation()).isEqualTo(seen.callersObservation());
			});
		});
	}

	@Test
	void withoutItTheGuardedCallHasNoObservation() {
		// The check above can fail: this is Spring Cloud CircuitBreaker's own behaviour.
		this.withoutIt.run((context) -> {
			CircuitBreaker breaker = context.getBean(CircuitBreakerFactory.class).create("guarded");
			assertThat(callersAndGuardedCalls(breaker)).allSatisfy((seen) -> assertThat(seen.observation()).isNull());
		});
	}

	@Test
	void thePoolStopsWithTheContext() {
		this.contexts.run((context) -> {
			CircuitBreakerContextAutoConfiguration.ContextPropagatingExecutor executor = context
				.getBean(CircuitBreakerContextAutoConfiguration.ContextPropagatingExecutor.class);
			context.close();
			assertThat(executor.isShutdown()).isTrue();
		});
	}

	/** Each caller opens an observation of its own and asks the breaker what it sees. */
	private static List<Seen> callersAndGuardedCalls(CircuitBreaker breaker) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler((context) -> true);
		ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
		try {
			List<CompletableFuture<Seen>> seen = IntStream.range(0, CALLERS)
				.mapToObj((caller) -> CompletableFuture.supplyAsync(() -> {
					Observation observation = Observation.start("caller-" + caller, registry);
					try (Observation.Scope scope = observation.openScope()) {
						return breaker.run(() -> new Seen(Thread.currentThread().getName(),
								registry.getCurrentObservation(), observation));
					}
					finally {
						observation.stop();
					}
				}, callers))
				.toList();
			return seen.stream().map(CompletableFuture::join).toList();
		}
		finally {
			callers.shutdownNow();
		}
	}

	private record Seen(String thread, Observation observation, Observation callersObservation) {
	}

}
