package dev.bugtracker.bugs.security;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link ClientCredentialsTokens} against a real HTTP token endpoint that can be made
 * slow, failing or refusing.
 */
class ClientCredentialsTokensTest {

	private static final Duration LIFETIME = Duration.ofMinutes(5);

	private final AtomicInteger requests = new AtomicInteger();

	/** What the endpoint does with the request of the given number (1, 2, ...). */
	private volatile Behaviour behaviour = (number, exchange) -> answer(exchange, 200, token(number));

	private final MovableClock clock = new MovableClock();

	private final ExecutorService renewals = Executors.newCachedThreadPool();

	private HttpServer server;

	private ClientCredentialsTokens tokens;

	@BeforeEach
	void startTokenEndpoint() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(Executors.newCachedThreadPool());
		this.server.createContext("/oauth2/token", (exchange) -> {
			try (exchange) {
				exchange.getRequestBody().readAllBytes();
				this.behaviour.handle(this.requests.incrementAndGet(), exchange);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		this.server.start();
		ClientRegistration registration = ClientRegistration.withRegistrationId(ClientCredentialsTokens.REGISTRATION)
			.clientId("bugs-service")
			.clientSecret("secret")
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.tokenUri("http://127.0.0.1:" + this.server.getAddress().getPort() + "/oauth2/token")
			.build();
		SimpleClientHttpRequestFactory http = new SimpleClientHttpRequestFactory();
		http.setReadTimeout(Duration.ofMillis(500));
		this.tokens = new ClientCredentialsTokens(registration, ServiceTokenConfiguration.tokenResponseClient(http),
				this.clock, this.renewals);
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
		this.renewals.shutdownNow();
	}

	@Test
	void concurrentFirstCallsShareOneFetch() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.behaviour = (number, exchange) -> {
			release.await(5, TimeUnit.SECONDS);
			answer(exchange, 200, token(number));
		};
		ExecutorService callers = Executors.newFixedThreadPool(32);
		try {
			List<Future<String>> calls = new ArrayList<>();
			for (int i = 0; i < 32; i++) {
				calls.add(callers.submit(this.tokens::accessToken));
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> this.requests.get() >= 1);
			release.countDown();
			Set<String> seen = ConcurrentHashMap.newKeySet();
			for (Future<String> call : calls) {
				seen.add(call.get(10, TimeUnit.SECONDS));
			}
			assertThat(seen).containsExactly("token-1");
			assertThat(this.requests).hasValue(1);
		}
		finally {
			callers.shutdownNow();
		}
	}

	@Test
	void keepsUsingTheTokenWhileItIsRenewedInTheBackground() throws Exception {
		assertThat(this.tokens.accessToken()).isEqualTo("token-1");
		this.clock.move(LIFETIME.dividedBy(2).plusSeconds(1));
		CountDownLatch release = new CountDownLatch(1);
		this.behaviour = (number, exchange) -> {
			release.await(5, TimeUnit.SECONDS);
			answer(exchange, 200, token(number));
		};

		// The renewal hangs at the endpoint, and calls meanwhile get the current token.
		assertThat(this.tokens.accessToken()).isEqualTo("token-1");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.requests.get() == 2);
		for (int i = 0; i < 10; i++) {
			assertThat(this.tokens.accessToken()).isEqualTo("token-1");
		}
		assertThat(this.requests).hasValue(2);

		release.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> "token-2".equals(this.tokens.accessToken()));
		assertThat(this.requests).hasValue(2);
	}

	@Test
	void aFailedRenewalKeepsTheCurrentTokenAndIsTriedAgainLater() {
		assertThat(this.tokens.accessToken()).isEqualTo("token-1");
		this.behaviour = (number, exchange) -> answer(exchange, 500, "{\"error\": \"server_error\"}");
		this.clock.move(LIFETIME.dividedBy(2).plusSeconds(1));

		assertThat(this.tokens.accessToken()).isEqualTo("token-1");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.requests.get() == 2);
		AtomicReference<String> token = new AtomicReference<>();
		for (int i = 0; i < 10; i++) {
			token.set(this.tokens.accessToken());
		}
		assertThat(token).hasValue("token-1");
		assertThat(this.requests).as("no new renewal within its back-off").hasValue(2);

		this.behaviour = (number, exchange) -> answer(exchange, 200, token(number));
		this.clock.move(Duration.ofSeconds(6));
		await().atMost(Duration.ofSeconds(5)).until(() -> "token-3".equals(this.tokens.accessToken()));
	}

	@Test
	void waitsForANewTokenOnlyWhenTheCurrentOneIsAboutToExpire() {
		assertThat(this.tokens.accessToken()).isEqualTo("token-1");
		this.behaviour = (number, exchange) -> answer(exchange, 500, "{\"error\": \"server_error\"}");
		this.clock.move(LIFETIME.minusSeconds(20));

		assertThatThrownBy(this.tokens::accessToken).isInstanceOf(OAuth2AuthorizationException.class);

		this.behaviour = (number, exchange) -> answer(exchange, 200, token(number));
		assertThat(this.tokens.accessToken()).isEqualTo("token-3");
	}

	@Test
	void triesASlowEndpointAgain() {
		this.behaviour = (number, exchange) -> {
			if (number == 1) {
				Thread.sleep(2_000);
			}
			answer(exchange, 200, token(number));
		};

		assertThat(this.tokens.accessToken()).isEqualTo("token-2");
	}

	@Test
	void doesNotRetryARefusedClient() {
		this.behaviour = (number, exchange) -> answer(exchange, 401, "{\"error\": \"invalid_client\"}");

		assertThatThrownBy(this.tokens::accessToken).isInstanceOf(OAuth2AuthorizationException.class)
			.hasMessageContaining("401");
		assertThat(this.requests).hasValue(1);
	}

	private static String token(int number) {
		return "{\"access_token\": \"token-" + number + "\", \"token_type\": \"Bearer\", \"expires_in\": "
				+ LIFETIME.toSeconds() + "}";
	}

	private static void answer(HttpExchange exchange, int status, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	@FunctionalInterface
	private interface Behaviour {

		void handle(int number, HttpExchange exchange) throws IOException, InterruptedException;

	}

	/** Starts at the real time (tokens carry real issue times) and moves on command. */
	private static final class MovableClock extends Clock {

		private volatile Duration offset = Duration.ZERO;

		void move(Duration by) {
			this.offset = this.offset.plus(by);
		}

		@Override
		public Instant instant() {
			return Instant.now().plus(this.offset);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			throw new UnsupportedOperationException();
		}

	}

}
