package dev.bugtracker.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passive outlier detection at the gateway, against two real backends of users-service:
 * when one of them goes away under concurrent load, no client sees it (the failed
 * requests are retried on the other one, which then takes all the traffic), and once it
 * listens again it gets its share back by itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "server.address=127.0.0.1",
				"bugtracker.loadbalancer.outlier-detection.base-ejection-time=1s",
				"bugtracker.loadbalancer.outlier-detection.max-ejection-time=2s" })
class GatewayOutlierDetectionTest {

	private static final Duration HOLD = Duration.ofMillis(20);

	private static final SlowBackend steady = new SlowBackend(HOLD);

	private static volatile SlowBackend crashing = new SlowBackend(HOLD);

	private static final int crashingPort = crashing.port();

	@Value("${local.server.port}")
	private int port;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry properties) {
		properties.add("spring.cloud.discovery.client.simple.instances.users-service[0].uri", steady::uri);
		properties.add("spring.cloud.discovery.client.simple.instances.users-service[1].uri",
				() -> "http://127.0.0.1:" + crashingPort);
	}

	@AfterAll
	static void stopBackends() {
		steady.close();
		crashing.close();
	}

	@Test
	void anInstanceThatGoesAwayUnderLoadFailsNoRequestAndComesBackWhenItListensAgain() throws Exception {
		Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
		List<Integer> statuses = new CopyOnWriteArrayList<>();
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService clients = Executors.newFixedThreadPool(32);
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		List<Future<?>> load = new java.util.ArrayList<>();
		for (int c = 0; c < 32; c++) {
			boolean keyedPosts = c % 2 == 1;
			load.add(clients.submit(() -> {
				while (running.get()) {
					HttpRequest.Builder request = HttpRequest
						.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/users/1"))
						.timeout(Duration.ofSeconds(20));
					if (keyedPosts) {
						request.POST(HttpRequest.BodyPublishers.ofString("{}"))
							.header("Content-Type", "application/json")
							.header("Idempotency-Key", UUID.randomUUID().toString());
					}
					HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
					statuses.add(response.statusCode());
					if (response.statusCode() != 200) {
						failures
							.computeIfAbsent(response.statusCode() + " " + response.body(), (k) -> new AtomicInteger())
							.incrementAndGet();
					}
				}
				return null;
			}));
		}
		try {
			Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> crashing.requests() > 200);
			crashing.close();
			int servedBySteady = steady.requests();
			Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> steady.requests() > servedBySteady + 2000);

			crashing = new SlowBackend(HOLD, crashingPort);
			Awaitility.await("the instance gets requests again")
				.atMost(Duration.ofSeconds(20))
				.until(() -> crashing.requests() > 200);
		}
		finally {
			running.set(false);
			for (Future<?> client : load) {
				client.get(30, TimeUnit.SECONDS);
			}
			clients.shutdownNow();
		}
		assertThat(statuses).as("requests sent").hasSizeGreaterThan(2000);
		assertThat(failures).as("answers other than 200 out of %d", statuses.size()).isEmpty();
	}

}
