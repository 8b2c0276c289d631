package dev.bugtracker.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests the gateway repeats when an instance closes the connection after it read
 * the request and before it answered, as a crash in the middle of a request does: the
 * instance may have done the work, so only requests that are safe to repeat are retried.
 * One instance that drops every request, and outlier detection off, so that every attempt
 * reaches it and is counted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "server.address=127.0.0.1",
				"bugtracker.loadbalancer.outlier-detection.enabled=false",
				"resilience4j.circuitbreaker.instances.users-service.minimum-number-of-calls=1000",
				"resilience4j.circuitbreaker.instances.users-service.sliding-window-size=1000" })
class GatewayRetryTest {

	private static final AtomicInteger dropped = new AtomicInteger();

	private static final HttpServer dropping = startDropping();

	@Value("${local.server.port}")
	private int port;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry properties) {
		properties.add("spring.cloud.discovery.client.simple.instances.users-service[0].uri",
				() -> "http://127.0.0.1:" + dropping.getAddress().getPort());
	}

	@AfterAll
	static void stop() {
		dropping.stop(0);
	}

	@Test
	void retriesReadsAndKeyedWritesWhoseConnectionClosedBeforeTheAnswer() {
		assertThat(attempts(HttpMethod.GET, null)).as("a read").isEqualTo(3);
		assertThat(attempts(HttpMethod.POST, "key-1")).as("a keyed POST").isEqualTo(3);
		assertThat(attempts(HttpMethod.PATCH, "key-2")).as("a keyed PATCH").isEqualTo(3);
		assertThat(attempts(HttpMethod.DELETE, "key-3")).as("a keyed DELETE").isEqualTo(3);
	}

	@Test
	void doesNotRepeatAnUnkeyedWriteThatMayHaveBeenDone() {
		assertThat(attempts(HttpMethod.POST, null)).as("an unkeyed POST").isEqualTo(1);
		assertThat(attempts(HttpMethod.PATCH, null)).as("an unkeyed PATCH").isEqualTo(1);
		assertThat(attempts(HttpMethod.DELETE, null)).as("an unkeyed DELETE").isEqualTo(1);
	}

	/** Sends one request; returns how many times it reached the instance. */
	private int attempts(HttpMethod method, String idempotencyKey) {
		int before = dropped.get();
		WebTestClient.RequestBodySpec request = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(20))
			.build()
			.method(method)
			.uri("/users/1");
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		request.exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		return dropped.get() - before;
	}

	/** Reads each request, then closes the connection without an answer. */
	private static HttpServer startDropping() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", (exchange) -> {
				exchange.getRequestBody().readAllBytes();
				dropped.incrementAndGet();
				exchange.close();
			});
			server.setExecutor(Executors.newCachedThreadPool());
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
