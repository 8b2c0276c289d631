package dev.bugtracker.gateway;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ordinary concurrency must not be refused: Spring Cloud CircuitBreaker wraps every route
 * in a Resilience4j bulkhead whose default lets only 25 calls through at once, and its
 * refusals would open the breaker. 64 slow requests at once against a real HTTP backend
 * show whether the gateway's bulkheads are sized on purpose (configs/gateway.yml).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "server.address=127.0.0.1" })
class GatewayConcurrencyTest {

	private static final SlowBackend backend = new SlowBackend(Duration.ofMillis(500));

	@Value("${local.server.port}")
	private int port;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry properties) {
		properties.add("spring.cloud.discovery.client.simple.instances.users-service[0].uri", backend::uri);
	}

	@AfterAll
	static void stopBackend() {
		backend.close();
	}

	@Test
	void lets64ConcurrentRequestsThroughWithoutRefusingAny() throws Exception {
		for (int round = 1; round <= 3; round++) {
			List<HttpResponse<String>> responses = SlowBackend
				.burst(URI.create("http://127.0.0.1:" + this.port + "/users/1"), 64);
			assertThat(responses).as("round %d", round)
				.allSatisfy((response) -> assertThat(response.statusCode()).as("status, body %s", response.body())
					.isEqualTo(200));
		}
		assertThat(backend.peakConcurrency()).as("requests the backend held at once").isGreaterThan(48);
	}

}
