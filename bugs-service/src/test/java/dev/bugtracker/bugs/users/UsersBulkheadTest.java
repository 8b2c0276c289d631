package dev.bugtracker.bugs.users;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bugtracker.bugs.bug.UsersUnavailableException;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.springboot3.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot3.timelimiter.autoconfigure.TimeLimiterAutoConfiguration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JAutoConfiguration;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slow users-service holds at most the configured number of bugs-service's threads
 * (configs/bugs-service.yml): further lookups fail at once with users-service unavailable
 * instead of waiting, and that shedding does not open the breaker.
 */
@SpringBootTest(classes = UsersBulkheadTest.Config.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class UsersBulkheadTest {

	private static final int LIMIT = 64;

	@Autowired
	private CircuitBreakerFactory<?, ?> circuitBreakers;

	@Autowired
	private CircuitBreakerRegistry breakers;

	@Test
	void aSlowUsersServiceHoldsAtMostTheBulkheadsThreads() {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger waiting = new AtomicInteger();
		FeignUserDirectory directory = new FeignUserDirectory((id) -> {
			waiting.incrementAndGet();
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return new UsersClient.UserView(id, "user" + id + "@example.com", null);
		}, this.circuitBreakers);
		ExecutorService callers = Executors.newFixedThreadPool(LIMIT + 6);
		try {
			List<CompletableFuture<Boolean>> lookups = new ArrayList<>();
			for (long id = 1; id <= LIMIT + 6; id++) {
				long user = id;
				lookups.add(CompletableFuture.supplyAsync(() -> directory.find(user).isPresent(), callers));
			}
			// Below the breaker's 3 s time limit, which would end the held lookups.
			Awaitility.await("64 lookups held and 6 answered")
				.atMost(Duration.ofSeconds(2))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> waiting.get() >= LIMIT && lookups.stream().filter(CompletableFuture::isDone).count() >= 6);
			assertThat(waiting.get()).as("lookups waiting on users-service").isEqualTo(LIMIT);
			List<Throwable> shed = lookups.stream()
				.filter(CompletableFuture::isDone)
				.map((lookup) -> lookup.handle((found, ex) -> ex.getCause()).join())
				.toList();
			assertThat(shed).as("lookups answered at once").hasSize(6).allSatisfy((ex) -> {
				assertThat(ex).isInstanceOf(UsersUnavailableException.class);
				assertThat(ex).hasRootCauseInstanceOf(BulkheadFullException.class);
			});
			List<CompletableFuture<Boolean>> held = lookups.stream().filter((lookup) -> !lookup.isDone()).toList();
			release.countDown();
			assertThat(held).hasSize(LIMIT);
			assertThat(held.stream().map(CompletableFuture::join)).as("held lookups, once users-service answers")
				.containsOnly(true);
		}
		finally {
			release.countDown();
			callers.shutdownNow();
		}
		assertThat(this.breakers.circuitBreaker("users").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ CircuitBreakerAutoConfiguration.class, BulkheadAutoConfiguration.class,
			TimeLimiterAutoConfiguration.class, Resilience4JAutoConfiguration.class })
	static class Config {

	}

}
