package dev.bugtracker.gateway;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The address a request reached, at the edge: the client's own {@code Host} only where it
 * is one of the gateway's own names, the public URL's scheme, host and port otherwise.
 */
class PublicHostTest {

	private final PublicHost edge = new PublicHost(URI.create("https://bugs.example.com"),
			new PublicHost.Properties(List.of("localhost", "127.0.0.1", "[::1]")));

	@Test
	void aHostTheClientMadeUpBecomesThePublicUrls() {
		ServerHttpRequest request = this.edge.withPublicHost(MockServerHttpRequest
			.method(HttpMethod.GET, URI.create("http://evil.example:8080/oauth2/authorize?client_id=a%20b"))
			.header("Host", "evil.example:8080")
			.build());
		assertThat(request.getURI()).isEqualTo(URI.create("https://bugs.example.com/oauth2/authorize?client_id=a%20b"));
		assertThat(request.getHeaders().getFirst("Host")).isEqualTo("bugs.example.com");
	}

	@Test
	void behindAnIngressThatEndsTlsThePublicSchemeIsKept() {
		ServerHttpRequest request = this.edge
			.withPublicHost(MockServerHttpRequest.get("http://bugs.example.com/login").build());
		assertThat(request.getURI()).isEqualTo(URI.create("https://bugs.example.com/login"));
	}

	@Test
	void theLoopbackNamesKeepTheirHostAndPort() {
		for (String own : List.of("http://localhost:8080/login", "http://127.0.0.1:41234/login",
				"http://[::1]:8080/login", "http://LOCALHOST:8080/login")) {
			ServerHttpRequest request = MockServerHttpRequest.get(own).build();
			assertThat(this.edge.withPublicHost(request)).as(own).isSameAs(request);
		}
	}

	@Test
	void aPublicUrlWithAPortKeepsIt() {
		PublicHost local = new PublicHost(URI.create("http://127.0.0.1:8080"), new PublicHost.Properties(List.of()));
		ServerHttpRequest request = local.withPublicHost(MockServerHttpRequest.get("http://localhost:9999/x").build());
		assertThat(request.getURI()).isEqualTo(URI.create("http://127.0.0.1:8080/x"));
		assertThat(request.getHeaders().getFirst("Host")).isEqualTo("127.0.0.1:8080");
	}

	@Test
	void aPublicUrlThatIsNoAbsoluteUrlIsRefusedNamingTheProperty() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PublicHost(URI.create("bugs.example.com"), new PublicHost.Properties(List.of())))
			.withMessageContaining("bugtracker.security.public-url");
	}

}
