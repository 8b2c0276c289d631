package dev.bugtracker.gateway;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's bulkheads against a real HTTP backend that holds every request 500 ms.
 * Spring Cloud CircuitBreaker wraps every route in a Resilience4j bulkhead whose default
 * lets only 25 calls through at once, and its refusals would open the breaker; the
 * users-service route keeps the size of configs/gateway.yml, the bugs-service route's
 * bulkhead is shrunk to 4 here to reach the full state with a small burst.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "server.address=127.0.0.1",
				"resilience4j.bulkhead.instances.bugs-service.max-concurrent-calls=4",
				"resilience4j.circuitbreaker.instances.bugs-service.minimum-number-of-calls=4",
				"resilience4j.circuitbreaker.instances.bugs-service.sliding-window-size=4" })
class GatewayConcurrencyTest {

	private static final SlowBackend backend = new SlowBackend(Duration.ofMillis(500));

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry properties) {
		properties.add("spring.cloud.discovery.client.simple.instances.users-service[0].uri", backend::uri);
		properties.add("spring.cloud.discovery.client.simple.instances.bugs-service[0].uri", backend::uri);
	}

	@AfterAll
	static void stopBackend() {
		backend.close();
	}

	@BeforeEach
	void resetPeak() {
		backend.resetPeakConcurrency();
	}

	@Test
	void lets64ConcurrentRequestsThroughWithoutRefusingAny() throws Exception {
		for (int round = 1; round <= 3; round++) {
			List<HttpResponse<String>> responses = SlowBackend.burst(uri("/users/1"), 64);
			assertThat(responses).as("round %d", round)
				.allSatisfy((response) -> assertThat(response.statusCode()).as("status, body %s", response.body())
					.isEqualTo(200));
		}
		assertThat(backend.peakConcurrency()).as("requests the backend held at once").isGreaterThan(48);
	}

	@Test
	void shedsWhatExceedsAFullBulkheadWithoutOpeningTheBreaker() throws Exception {
		long shed = 0;
		for (int round = 1; round <= 2; round++) {
			List<HttpResponse<String>> responses = SlowBackend.burst(uri("/bugs/1"), 12);
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
			shed += responses.stream().filter((response) -> response.statusCode() != 200).count();
		}
		assertThat(this.meters.get("bugtracker.gateway.fallbacks")
			.tags("service", "bugs-service", "reason", "overloaded")
			.counter()
			.count()).as("shed requests counted").isEqualTo(shed);
		assertThat(backend.peakConcurrency()).isLessThanOrEqualTo(4);
		assertThat(SlowBackend.burst(uri("/bugs/1"), 1)).singleElement()
			.satisfies((response) -> assertThat(response.statusCode()).as("after the bursts").isEqualTo(200));
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
