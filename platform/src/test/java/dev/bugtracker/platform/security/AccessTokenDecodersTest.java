package dev.bugtracker.platform.security;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.client.support.HttpRequestWrapper;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The key source of the services' access token decoders, against real HTTP servers
 * standing in for users-service instances, chosen in turn as the load balancer does.
 */
class AccessTokenDecodersTest {

	private static final String ISSUER = "https://bugs.example.com";

	private final RSAKey key = generate();

	private final AtomicInteger fetches = new AtomicInteger();

	private final CountDownLatch stalled = new CountDownLatch(1);

	private HttpServer keys;

	private HttpServer stalling;

	@BeforeEach
	void startInstances() throws IOException {
		this.keys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		byte[] body = new JWKSet(this.key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
		this.keys.createContext("/oauth2/jwks", (exchange) -> {
			this.fetches.incrementAndGet();
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.keys.start();
		this.stalling = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.stalling.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		this.stalling.createContext("/oauth2/jwks", (exchange) -> {
			try {
				this.stalled.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		this.stalling.start();
	}

	@AfterEach
	void stopInstances() {
		this.stalled.countDown();
		this.keys.stop(0);
		this.stalling.stop(0);
	}

	@Test
	void aKeyFetchWhoseConnectionIsRefusedIsMadeAgainAtTheNextInstance() throws Exception {
		JwtDecoder decoder = decoder(List.of(deadPort(), this.keys.getAddress().getPort()));

		assertThat(decoder.decode(token()).getSubject()).isEqualTo("42");
		assertThat(this.fetches).hasValue(1);
	}

	@Test
	void aKeyFetchThatGetsNoAnswerInTimeIsMadeAgainAtTheNextInstance() throws Exception {
		JwtDecoder decoder = decoder(List.of(this.stalling.getAddress().getPort(), this.keys.getAddress().getPort()));

		assertThat(decoder.decode(token()).getSubject()).isEqualTo("42");
		assertThat(this.fetches).hasValue(1);
	}

	@Test
	void keysThatCannotBeFetchedFromAnyInstanceLeaveTheTokenUncheckedNotRefused() throws Exception {
		JwtDecoder decoder = decoder(List.of(deadPort(), deadPort()));

		// JwtException, not BadJwtException: Spring Security answers 503 for it, not 401,
		// so that the client retries with the same (good) token.
		assertThatExceptionOfType(JwtException.class).isThrownBy(() -> decoder.decode(token()))
			.isNotInstanceOf(BadJwtException.class);
	}

	@Test
	void fetchedKeysAreUsedForTheNextTokens() throws Exception {
		JwtDecoder decoder = decoder(List.of(this.keys.getAddress().getPort()));

		decoder.decode(token());
		decoder.decode(token());

		assertThat(this.fetches).hasValue(1);
	}

	/**
	 * With a fixed address of the authorization server, the keys come from there: a
	 * registration in the registry (here, a load balancer that would send the fetch to a
	 * rogue's keys) decides nothing, and is never asked.
	 */
	@Test
	void withTheAuthorizationServersAddressSetTheKeysComeFromThereAndNeverThroughTheRegistry() throws Exception {
		RSAKey rogue = new RSAKeyGenerator(2048).keyID(this.key.getKeyID()).generate();
		AtomicInteger balanced = new AtomicInteger();
		ClientHttpRequestInterceptor registry = (request, body, execution) -> {
			balanced.incrementAndGet();
			throw new IllegalStateException("the registry was asked where the keys are");
		};
		MockEnvironment environment = new MockEnvironment().withProperty("bugtracker.security.public-url", ISSUER)
			.withProperty("spring.application.name", "bugs-service")
			.withProperty("bugtracker.security.authorization-server-url",
					"http://127.0.0.1:" + this.keys.getAddress().getPort() + "/");
		JwtDecoder decoder = AccessTokenDecoders.fromAuthorizationServer(environment, registry);

		assertThat(decoder.decode(token(this.key)).getSubject()).isEqualTo("42");
		assertThatExceptionOfType(BadJwtException.class).as("a token for other services")
			.isThrownBy(() -> decoder.decode(token(this.key, List.of("users-service", "notificator-service"))))
			.withMessageContaining("aud");
		assertThatExceptionOfType(BadJwtException.class).as("a token signed by a key that the server does not publish")
			.isThrownBy(() -> decoder.decode(token(rogue)));
		assertThat(balanced).hasValue(0);
		assertThat(this.fetches.get()).isPositive();
	}

	@Test
	void anAuthorizationServerAddressThatIsNoHttpUrlIsRefusedAtStart() {
		for (String wrong : List.of("users-service:8800", "ftp://users-service/", "lb://users-service")) {
			MockEnvironment environment = new MockEnvironment().withProperty("bugtracker.security.public-url", ISSUER)
				.withProperty("spring.application.name", "bugs-service")
				.withProperty("bugtracker.security.authorization-server-url", wrong);
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> AccessTokenDecoders.fromAuthorizationServer(environment,
						(request, body, execution) -> execution.execute(request, body)))
				.withMessageContaining("AUTHORIZATION_SERVER_URL");
		}
	}

	/**
	 * A decoder whose key fetches go to the given ports in turn, as the load balancer's
	 * round robin would send them to the instances.
	 */
	private static JwtDecoder decoder(List<Integer> ports) {
		SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
		requests.setConnectTimeout(Duration.ofSeconds(1));
		requests.setReadTimeout(Duration.ofMillis(500));
		RestTemplate rest = new RestTemplate(requests);
		AtomicInteger next = new AtomicInteger();
		ClientHttpRequestInterceptor roundRobin = (request, body, execution) -> {
			int port = ports.get(next.getAndIncrement() % ports.size());
			URI original = request.getURI();
			URI instance = URI.create("http://127.0.0.1:" + port + original.getRawPath());
			return execution.execute(new HttpRequestWrapper(request) {
				@Override
				public URI getURI() {
					return instance;
				}
			}, body);
		};
		rest.getInterceptors().add(roundRobin);
		return NimbusJwtDecoder.withJwkSource(AccessTokenDecoders.keySource("http://users-service/oauth2/jwks", rest))
			.build();
	}

	private String token() throws Exception {
		return token(this.key);
	}

	private static String token(RSAKey signer) throws Exception {
		return token(signer, List.of("users-service", "bugs-service"));
	}

	private static String token(RSAKey signer, List<String> audience) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(),
				new JWTClaimsSet.Builder().subject("42")
					.audience(audience)
					.issuer(ISSUER)
					.issueTime(new Date())
					.expirationTime(Date.from(Instant.now().plusSeconds(300)))
					.build());
		jwt.sign(new RSASSASigner(signer));
		return jwt.serialize();
	}

	private static int deadPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static RSAKey generate() {
		try {
			return new RSAKeyGenerator(2048).keyID("key-1").generate();
		}
		catch (com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
