package dev.bugtracker.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Release routing against two real HTTP backends that carry versions 1 and 2 in their
 * discovery metadata: canary shares, the pin header, a blue-green switch, a policy naming
 * a version that has no instance, the {@code release} endpoint that changes it all, and
 * the {@code loadbalancer} endpoint that shows the instances. Also: a service with no
 * registered instance gets 503s without opening its breaker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "server.address=127.0.0.1" })
class GatewayReleaseRoutingTest {

	private static final HttpServer v1 = backend("1");

	private static final HttpServer v2 = backend("2");

	@Value("${local.server.port}")
	private int port;

	@Value("${local.management.port}")
	private int managementPort;

	@Autowired
	private CircuitBreakerRegistry breakers;

	private WebTestClient client;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry properties) {
		String prefix = "spring.cloud.discovery.client.simple.instances.users-service";
		properties.add(prefix + "[0].uri", () -> "http://127.0.0.1:" + v1.getAddress().getPort());
		properties.add(prefix + "[0].metadata.version", () -> "1");
		properties.add(prefix + "[1].uri", () -> "http://127.0.0.1:" + v2.getAddress().getPort());
		properties.add(prefix + "[1].metadata.version", () -> "2");
	}

	@AfterEach
	void clearPolicy() {
		admin().delete().uri("/actuator/release/users-service").exchange().expectStatus().is2xxSuccessful();
	}

	@Test
	void theReleaseSwitchIsNotOnThePublicPort() {
		client().post()
			.uri("/actuator/release/users-service")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"stable\": \"2\"}")
			.exchange()
			.expectStatus()
			.isNotFound();
		client().get().uri("/actuator/release").exchange().expectStatus().isNotFound();
		// Nothing changed: both versions still take requests.
		assertThat(send(40, null)).containsOnlyKeys("1", "2");
	}

	@AfterAll
	static void stopBackends() {
		v1.stop(0);
		v2.stop(0);
	}

	@Test
	void withoutAPolicyEveryInstanceTakesRequests() {
		Map<String, Integer> served = send(200, null);
		assertThat(served).containsOnlyKeys("1", "2");
		assertThat(served.get("1")).isEqualTo(100);
	}

	@Test
	void sendsTheCanaryItsShare() {
		setPolicy("{\"stable\": \"1\", \"canary\": \"2\", \"canaryPercent\": 20}").expectStatus().isOk();
		Map<String, Integer> served = send(1000, null);
		// 20 % of 1000: the standard deviation of the count is about 13.
		assertThat(served.getOrDefault("2", 0)).isBetween(140, 260);
		assertThat(served.get("1") + served.getOrDefault("2", 0)).isEqualTo(1000);
	}

	@Test
	void pinsARequestToTheCanaryOrToTheStableVersionByHeader() {
		setPolicy("{\"stable\": \"1\", \"canary\": \"2\", \"canaryPercent\": 50}").expectStatus().isOk();
		assertThat(send(50, "always")).containsOnlyKeys("2");
		assertThat(send(50, "never")).containsOnlyKeys("1");
	}

	@Test
	void switchesBlueToGreenAndBackAtOnce() {
		setPolicy("{\"stable\": \"1\"}").expectStatus().isOk();
		assertThat(send(50, null)).containsOnlyKeys("1");
		setPolicy("{\"stable\": \"2\"}").expectStatus().isOk();
		assertThat(send(50, null)).containsOnlyKeys("2");
		setPolicy("{\"stable\": \"1\"}").expectStatus().isOk();
		assertThat(send(50, null)).containsOnlyKeys("1");
	}

	@Test
	void neverTurnsARequestAwayForAVersionWithoutInstances() {
		setPolicy("{\"stable\": \"3\", \"canary\": \"4\", \"canaryPercent\": 50}").expectStatus().isOk();
		assertThat(send(20, null)).containsOnlyKeys("1", "2");
		setPolicy("{\"stable\": \"1\", \"canary\": \"4\", \"canaryPercent\": 50}").expectStatus().isOk();
		assertThat(send(20, "always")).containsOnlyKeys("1");
	}

	@Test
	void showsAndRejectsPoliciesThroughTheEndpoint() {
		setPolicy("{\"stable\": \"1\", \"canary\": \"2\", \"canaryPercent\": 10}").expectStatus().isOk();
		admin().get()
			.uri("/actuator/release")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.users-service.canaryPercent")
			.isEqualTo(10);
		setPolicy("{\"stable\": \"1\", \"canary\": \"2\", \"canaryPercent\": 120}").expectStatus().isBadRequest();
		setPolicy("{\"canary\": \"2\", \"canaryPercent\": 5}").expectStatus().isBadRequest();
		setPolicy("{\"stable\": \"1\", \"canaryPercent\": 5}").expectStatus().isBadRequest();
		admin().get()
			.uri("/actuator/release/users-service")
			.exchange()
			.expectBody()
			.jsonPath("$.canaryPercent")
			.isEqualTo(10);
	}

	@Test
	void showsTheInstancesThatItsLoadBalancerRoutesTo() {
		admin().get()
			.uri("/actuator/loadbalancer/users-service")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.length()")
			.isEqualTo(2)
			.jsonPath("$[?(@.port == %d)].version".formatted(v1.getAddress().getPort()))
			.isEqualTo(List.of("1"))
			.jsonPath("$[?(@.port == %d)].version".formatted(v2.getAddress().getPort()))
			.isEqualTo(List.of("2"))
			.jsonPath("$[*].ejected")
			.isEqualTo(List.of(false, false));
		admin().get().uri("/actuator/loadbalancer/no-such-service").exchange().expectStatus().isNotFound();
	}

	@Test
	void aServiceWithNoRegisteredInstanceGets503sWithoutOpeningItsBreaker() {
		for (int i = 0; i < 40; i++) {
			client().get()
				.uri("/bugs/1")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectHeader()
				.exists("Retry-After")
				.expectBody()
				.jsonPath("$.reason")
				.isEqualTo("no-instance");
		}
		assertThat(this.breakers.circuitBreaker("bugs-service").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	private WebTestClient.ResponseSpec setPolicy(String json) {
		return admin().post()
			.uri("/actuator/release/users-service")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchange();
	}

	/** {@code requests} GETs by 16 concurrent clients; counts which version answered. */
	private Map<String, Integer> send(int requests, String pin) {
		Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
		ExecutorService clients = Executors.newFixedThreadPool(16);
		try {
			List<Future<?>> sent = new ArrayList<>();
			for (int i = 0; i < requests; i++) {
				sent.add(clients.submit(() -> {
					String version = client().get().uri("/users/1").headers((headers) -> {
						if (pin != null) {
							headers.set("X-Canary", pin);
						}
					}).exchange().expectStatus().isOk().returnResult(String.class).getResponseBody().blockFirst();
					served.computeIfAbsent(version, (v) -> new AtomicInteger()).incrementAndGet();
				}));
			}
			for (Future<?> request : sent) {
				request.get(30, TimeUnit.SECONDS);
			}
		}
		catch (Exception ex) {
			throw new AssertionError("a request failed", ex);
		}
		finally {
			clients.shutdownNow();
		}
		Map<String, Integer> counts = new TreeMap<>();
		served.forEach((version, count) -> counts.put(version, count.get()));
		return counts;
	}

	/** The actuator's own port: the release switch is not on the public one. */
	private WebTestClient admin() {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
	}

	private synchronized WebTestClient client() {
		if (this.client == null) {
			this.client = WebTestClient.bindToServer()
				.baseUrl("http://127.0.0.1:" + this.port)
				.responseTimeout(Duration.ofSeconds(20))
				.build();
		}
		return this.client;
	}

	private static HttpServer backend(String version) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/users", (exchange) -> {
				exchange.getRequestBody().readAllBytes();
				byte[] bytes = version.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "text/plain");
				exchange.sendResponseHeaders(200, bytes.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(bytes);
				}
			});
			server.setExecutor(Executors.newFixedThreadPool(16));
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
