package dev.bugtracker.bugs.users;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.bugtracker.bugs.bug.UserDirectory;
import dev.bugtracker.bugs.bug.UsersUnavailableException;
import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.client.discovery.simple.InstanceProperties;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * bugs-service's lookups through the real Feign client and load balancer: with no
 * instance of users-service registered (as while the system starts) every lookup gets
 * users-service unavailable at once, and the {@code users} breaker stays closed, so that
 * the first lookups after users-service registers succeed. An instance that refuses
 * connections still opens it.
 */
@SpringBootTest(properties = { "eureka.client.enabled=false", "bugtracker.outbox.poll-interval=1h" })
@Import(EmbeddedPostgresTestConfiguration.class)
class FeignUserDirectoryNoInstanceTest {

	@Autowired
	private UserDirectory users;

	@Autowired
	private CircuitBreakerRegistry breakers;

	@Autowired
	private SimpleDiscoveryProperties discovery;

	@Test
	void noInstanceLeavesTheBreakerClosedButARefusingInstanceOpensIt() throws Exception {
		CircuitBreaker breaker = this.breakers.circuitBreaker("users");
		List<Throwable> failures = lookUpConcurrently(40);
		assertThat(failures).hasSize(40).allSatisfy((ex) -> {
			assertThat(ex).isInstanceOf(UsersUnavailableException.class);
			// Found out when fetching the service token for the lookup, or by the lookup.
			assertThat(ex).hasStackTraceContaining("NoUsersServiceInstanceException");
			assertThat(isNoInstance(ex)).isTrue();
		});
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();

		int refusing;
		try (ServerSocket socket = new ServerSocket(0)) {
			refusing = socket.getLocalPort();
		}
		InstanceProperties instance = new InstanceProperties();
		instance.setInstanceId("users-service-1");
		instance.setServiceId("users-service");
		instance.setHost("127.0.0.1");
		instance.setPort(refusing);
		this.discovery.getInstances().put("users-service", List.of(instance));
		// The load balancer's instance cache expires within seconds
		// (configs/application.yml).
		Awaitility.await("the load balancer sees the refusing instance")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> !isNoInstance(catchThrowable(() -> this.users.find(1L))));
		lookUpConcurrently(20);
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	/** Lookups of users never looked up before, from 8 threads; the failures. */
	private List<Throwable> lookUpConcurrently(int count) {
		ExecutorService callers = Executors.newFixedThreadPool(8);
		try {
			List<CompletableFuture<Throwable>> lookups = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				long id = 1000 + i;
				lookups.add(CompletableFuture.supplyAsync(() -> catchThrowable(() -> this.users.find(id)), callers));
			}
			return lookups.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList();
		}
		finally {
			callers.shutdownNow();
		}
	}

	/**
	 * Whether a failure, one of its causes or one of their suppressed ones, is "no
	 * instance".
	 */
	private static boolean isNoInstance(Throwable failure) {
		if (failure == null) {
			return false;
		}
		if (failure instanceof NoUsersServiceInstanceException) {
			return true;
		}
		for (Throwable suppressed : failure.getSuppressed()) {
			if (isNoInstance(suppressed)) {
				return true;
			}
		}
		return failure.getCause() != failure && isNoInstance(failure.getCause());
	}

}
