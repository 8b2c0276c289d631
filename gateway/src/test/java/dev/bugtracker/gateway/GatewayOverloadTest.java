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
 * A route whose bulkhead is full sheds the excess with a 503 "overloaded" problem, and
 * the shedding does not open its circuit breaker: the service itself is fine. The
 * bulkhead is shrunk to 4 here to reach that state with a small burst.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "server.address=127.0.0.1",
				"resilience4j.bulkhead.instances.users-service.max-concurrent-calls=4",
				"resilience4j.circuitbreaker.instances.users-service.minimum-number-of-calls=4",
				"resilience4j.circuitbreaker.instances.users-service.sliding-window-size=4" })
class GatewayOverloadTest {

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
	void shedsWhatExceedsTheBulkheadWithoutOpeningTheBreaker() throws Exception {
		URI uri = URI.create("http://127.0.0.1:" + this.port + "/users/1");
		for (int round = 1; round <= 2; round++) {
			List<HttpResponse<String>> responses = SlowBackend.burst(uri, 12);
			assertThat(responses).filteredOn((response) -> response.statusCode() == 200)
				.as("round %d: answered by the service", round)
				.hasSizeBetween(1, 4);
			assertThat(responses).filteredOn((response) -> response.statusCode() != 200)
				.as("round %d: shed", round)
				.isNotEmpty()
				.allSatisfy((response) -> {
					assertThat(response.statusCode()).isEqualTo(503);
					assertThat(response.headers().firstValue("Retry-After")).isPresent();
					assertThat(response.body()).contains("\"reason\":\"overloaded\"");
				});
		}
		assertThat(backend.peakConcurrency()).isLessThanOrEqualTo(4);
		assertThat(SlowBackend.burst(uri, 1)).singleElement()
			.satisfies((response) -> assertThat(response.statusCode()).as("after the bursts").isEqualTo(200));
	}

}
