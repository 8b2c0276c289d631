package dev.bugtracker.platform.security;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The authorization server's fixed address standing for several containers, as compose's
 * {@code users-service} does: one real HTTP server on 127.0.0.1, and a name that resolves
 * to a loopback address where nothing listens (a container just stopped) before it.
 */
class EveryAddressTest {

	private final List<String> received = new CopyOnWriteArrayList<>();

	private HttpServer server;

	private int port;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/oauth2/jwks", (exchange) -> {
			this.received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
			byte[] body = "{\"keys\": []}".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
		this.port = this.server.getAddress().getPort();
	}

	@AfterEach
	void stopServer() {
		this.server.stop(0);
	}

	@Test
	void aNameWhoseFirstAddressIsGoneIsAnsweredByTheNextOne() throws IOException {
		InetAddress gone = unusedLoopbackAddress();
		RestTemplate http = client(new EveryAddress((host) -> {
			assertThat(host).isEqualTo("users-service");
			return new InetAddress[] { gone, InetAddress.getByName("127.0.0.1") };
		}));

		String keys = http.getForObject("http://users-service:" + this.port + "/oauth2/jwks?fresh=1", String.class);

		assertThat(keys).isEqualTo("{\"keys\": []}");
		assertThat(this.received).containsExactly("GET /oauth2/jwks?fresh=1");
	}

	@Test
	void aNameWithNoAnsweringAddressFailsNamingTheHostAndHowManyWereTried() throws IOException {
		InetAddress gone = unusedLoopbackAddress();
		RestTemplate http = client(new EveryAddress((host) -> new InetAddress[] { gone, gone }));

		assertThatExceptionOfType(ResourceAccessException.class)
			.isThrownBy(() -> http.getForObject("http://users-service:" + this.port + "/oauth2/jwks", String.class))
			.withMessageContaining("No address of users-service answered GET /oauth2/jwks (2 tried)");
		assertThat(this.received).isEmpty();
	}

	@Test
	void httpsGoesToTheNameItself() {
		RestTemplate http = client(new EveryAddress((host) -> {
			throw new AssertionError("an https address was resolved by the interceptor: " + host);
		}));

		// Nothing answers TLS there: what matters is that the name was not replaced.
		assertThatExceptionOfType(ResourceAccessException.class)
			.isThrownBy(() -> http.getForObject("https://localhost:" + this.port + "/oauth2/jwks", String.class));
	}

	private static RestTemplate client(EveryAddress everyAddress) {
		RestTemplate http = new RestTemplate(AccessTokenDecoders.requests(Duration.ofSeconds(2)));
		http.getInterceptors().add(everyAddress);
		return http;
	}

	/**
	 * A loopback address other than 127.0.0.1 (Linux answers for all of 127.0.0.0/8), on
	 * which the test server's port is closed: a connection there is refused, as one to a
	 * stopped container's address fails.
	 */
	private InetAddress unusedLoopbackAddress() throws IOException {
		InetAddress other = InetAddress.getByName("127.0.0.2");
		try (ServerSocket probe = new ServerSocket()) {
			probe.bind(new InetSocketAddress(other, this.port));
		}
		return other;
	}

}
