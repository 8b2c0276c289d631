package dev.bugtracker.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exchange of personal access tokens against a users-service stand-in on a real port:
 * one exchange serves many requests and many concurrent requests, refusals are 401
 * problems, an exchange that gets no answer in time is made again, an unreachable
 * users-service is a 503 problem, other tokens pass untouched.
 */
class PersonalAccessTokenExchangeFilterTest {

	private final AtomicInteger exchanges = new AtomicInteger();

	private final AtomicInteger stalled = new AtomicInteger();

	private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

	/** At most this long, longer than an attempt may take (1 s here): it is given up. */
	private static final Duration STALL = Duration.ofSeconds(6);

	private final List<String> forwarded = new CopyOnWriteArrayList<>();

	private final List<String> clientAddresses = new CopyOnWriteArrayList<>();

	private HttpServer users;

	private PersonalAccessTokenExchangeFilter filter;

	@BeforeEach
	void startUsersService() throws IOException {
		this.users = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.users.createContext("/internal/tokens/exchange", (http) -> {
			this.exchanges.incrementAndGet();
			this.clientAddresses.add(String.valueOf(http.getRequestHeaders().getFirst("X-Forwarded-For")));
			String authorization = http.getRequestHeaders().getFirst("Authorization");
			if ("Bearer btp_throttled".equals(authorization)) {
				http.getResponseHeaders().set("Retry-After", "7");
				http.sendResponseHeaders(429, -1);
				http.close();
				return;
			}
			if ("Bearer btp_stalled-once".equals(authorization) && this.stalled.getAndIncrement() == 0) {
				// The first attempt meets an instance that does not answer in time.
				try {
					// Released when the test ends; the bound only keeps a thread from
					// hanging.
					this.released.await(STALL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			boolean valid = "Bearer btp_good".equals(authorization) || "Bearer btp_stalled-once".equals(authorization);
			byte[] body = (valid
					? "{\"access_token\": \"jwt-of-good\", \"token_type\": \"Bearer\", \"expires_in\": 300}"
					: "{\"status\": 401}")
				.getBytes(StandardCharsets.UTF_8);
			http.getResponseHeaders().set("Content-Type", "application/json");
			http.sendResponseHeaders(valid ? 200 : 401, body.length);
			http.getResponseBody().write(body);
			http.close();
		});
		this.users.setExecutor(Executors.newFixedThreadPool(4));
		this.users.start();
		this.filter = new PersonalAccessTokenExchangeFilter(
				WebClient.create("http://127.0.0.1:" + this.users.getAddress().getPort()), JsonMapper.builder().build(),
				Duration.ofSeconds(30), Duration.ofSeconds(1));
	}

	@AfterEach
	void stopUsersService() {
		this.released.countDown();
		this.users.stop(0);
	}

	@Test
	void replacesAPersonalAccessTokenByItsAccessTokenExchangingItOnceForManyRequests() {
		for (int i = 0; i < 5; i++) {
			MockServerWebExchange exchange = request("Bearer btp_good");
			this.filter.filter(exchange, this.chain()).block(Duration.ofSeconds(5));
		}

		assertThat(this.forwarded).hasSize(5).containsOnly("Bearer jwt-of-good");
		assertThat(this.exchanges).hasValue(1);
	}

	@Test
	void concurrentRequestsWithOneTokenShareOneExchange() {
		Flux.range(0, 64)
			.flatMap((i) -> this.filter.filter(request("Bearer btp_good"), this.chain()), 32)
			.then()
			.block(Duration.ofSeconds(10));

		assertThat(this.forwarded).hasSize(64).containsOnly("Bearer jwt-of-good");
		assertThat(this.exchanges).hasValue(1);
	}

	@Test
	void anExchangeThatGetsNoAnswerInTimeIsAskedAgainInsteadOfFailingTheRequest() {
		MockServerWebExchange exchange = request("Bearer btp_stalled-once");

		// A bound against a hang only: the exchange takes about 1 s (the given-up
		// attempt).
		this.filter.filter(exchange, this.chain()).block(Duration.ofSeconds(30));

		assertThat(this.forwarded).containsExactly("Bearer jwt-of-good");
		assertThat(this.exchanges).hasValue(2);
	}

	@Test
	void aRefusedTokenIs401ProblemWithABearerChallengeAndIsNotRouted() {
		MockServerWebExchange exchange = request("Bearer btp_revoked");

		this.filter.filter(exchange, this.chain()).block(Duration.ofSeconds(5));

		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(401);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
			.startsWith("Bearer error=\"invalid_token\"");
		assertThat(exchange.getResponse().getHeaders().getContentType()).hasToString("application/problem+json");
		assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"status\":401");
		assertThat(this.forwarded).isEmpty();
	}

	@Test
	void aClientThrottledByUsersServiceGets429WithItsRetryAfter() {
		MockServerWebExchange exchange = request("Bearer btp_throttled");

		this.filter.filter(exchange, this.chain()).block(Duration.ofSeconds(5));

		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(429);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
		assertThat(exchange.getResponse().getHeaders().getContentType()).hasToString("application/problem+json");
		assertThat(this.clientAddresses).containsExactly("203.0.113.5");
		assertThat(this.forwarded).isEmpty();
	}

	@Test
	void anUnreachableUsersServiceIs503ProblemWithRetryAfter() {
		this.users.stop(0);
		MockServerWebExchange exchange = request("Bearer btp_good");

		this.filter.filter(exchange, this.chain()).block(Duration.ofSeconds(10));

		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(503);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
		assertThat(exchange.getResponse().getHeaders().getContentType()).hasToString("application/problem+json");
		assertThat(this.forwarded).isEmpty();
	}

	@Test
	void otherCredentialsPassUntouched() {
		for (String authorization : new String[] { "Bearer eyJhbGciOiJSUzI1NiJ9.x.y", "Basic YTpi", null }) {
			this.filter.filter(request(authorization), this.chain()).block(Duration.ofSeconds(5));
		}

		assertThat(this.forwarded).containsExactly("Bearer eyJhbGciOiJSUzI1NiJ9.x.y", "Basic YTpi", "(none)");
		assertThat(this.exchanges).hasValue(0);
	}

	private GatewayFilterChain chain() {
		return (exchange) -> {
			String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
			this.forwarded.add((authorization != null) ? authorization : "(none)");
			return Mono.empty();
		};
	}

	private static MockServerWebExchange request(String authorization) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/users/me")
			.remoteAddress(new InetSocketAddress("203.0.113.5", 40000));
		if (authorization != null) {
			request.header(HttpHeaders.AUTHORIZATION, authorization);
		}
		return MockServerWebExchange.from(request);
	}

}
