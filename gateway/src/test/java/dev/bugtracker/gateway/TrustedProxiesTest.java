package dev.bugtracker.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The client's address at the edge: from a trusted proxy's {@code X-Forwarded-For}, the
 * right-most hop that is not a trusted proxy; from anyone else, the peer.
 */
class TrustedProxiesTest {

	private final TrustedProxies ingress = TrustedProxies.of(List.of("10.0.0.0/8", "fd00::/8", "192.0.2.9"));

	@Test
	void aPeerThatIsNoTrustedProxyIsTheClientWhateverItWrites() throws Exception {
		assertThat(this.ingress.client(ip("198.51.100.7"), List.of("203.0.113.1"))).isEqualTo(ip("198.51.100.7"));
		assertThat(TrustedProxies.of(List.of()).client(ip("10.1.2.3"), List.of("203.0.113.1")))
			.as("nobody is trusted by default")
			.isEqualTo(ip("10.1.2.3"));
	}

	@Test
	void behindTrustedProxiesTheClientIsTheRightMostUntrustedHop() throws Exception {
		assertThat(this.ingress.client(ip("10.0.0.5"), List.of("198.51.100.7"))).isEqualTo(ip("198.51.100.7"));
		assertThat(this.ingress.client(ip("10.0.0.5"), List.of("198.51.100.7, 10.3.0.1"))).as("through two proxies")
			.isEqualTo(ip("198.51.100.7"));
		assertThat(this.ingress.client(ip("10.0.0.5"), List.of("6.6.6.6, 1.2.3.4", "198.51.100.7")))
			.as("what the client wrote to the left is ignored, over several headers too")
			.isEqualTo(ip("198.51.100.7"));
		assertThat(this.ingress.client(ip("192.0.2.9"), List.of("[2001:db8::7]:4711"))).isEqualTo(ip("2001:db8::7"));
		assertThat(this.ingress.client(ip("fd00::1"), List.of("198.51.100.7:5555"))).isEqualTo(ip("198.51.100.7"));
	}

	@Test
	void aHopThatIsNoAddressEndsTheWalkAtTheLastOneThatWas() throws Exception {
		assertThat(this.ingress.client(ip("10.0.0.5"), List.of("198.51.100.7, unknown"))).isEqualTo(ip("10.0.0.5"));
		assertThat(this.ingress.client(ip("10.0.0.5"), List.of("localhost, 10.9.9.9"))).as("a name is never looked up")
			.isEqualTo(ip("10.9.9.9"));
		assertThat(this.ingress.client(ip("10.0.0.5"), List.of())).as("no header").isEqualTo(ip("10.0.0.5"));
		assertThat(this.ingress.client(ip("10.0.0.5"), List.of("10.1.1.1, 10.2.2.2"))).as("only proxies: the left-most")
			.isEqualTo(ip("10.1.1.1"));
	}

	@Test
	void aLongHeaderIsReadOnlyFromTheRight() throws Exception {
		String hops = "198.51.100.1, " + "10.0.0.1, ".repeat(TrustedProxies.MAX_HOPS + 5) + "10.0.0.2";
		assertThat(this.ingress.client(ip("10.0.0.5"), List.of(hops))).isEqualTo(ip("10.0.0.1"));
	}

	@Test
	void aRangeThatIsNoneIsRefusedNamingIt() {
		for (String wrong : List.of("10.0.0.0/33", "10.0.0.0/x", "ingress.example.com", "fd00::/129")) {
			assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.of(List.of(wrong)))
				.withMessageContaining(wrong)
				.withMessageContaining("bugtracker.edge.trusted-proxies");
		}
	}

	@Test
	void theRequestCarriesTheClientsAddressAndNoneOfItsHeader() throws Exception {
		EdgeClientAddress edge = new EdgeClientAddress(new EdgeClientAddress.Properties(List.of("10.0.0.0/8")));

		ServerHttpRequest viaIngress = edge.withClientAddress(MockServerHttpRequest.get("/users/me")
			.remoteAddress(new InetSocketAddress(ip("10.0.0.5"), 40000))
			.header("X-Forwarded-For", "6.6.6.6, 198.51.100.7")
			.build());
		assertThat(viaIngress.getRemoteAddress().getAddress()).isEqualTo(ip("198.51.100.7"));
		assertThat(viaIngress.getHeaders().containsHeader("X-Forwarded-For")).isFalse();

		ServerHttpRequest direct = edge.withClientAddress(MockServerHttpRequest.get("/users/me")
			.remoteAddress(new InetSocketAddress(ip("198.51.100.8"), 40001))
			.header("X-Forwarded-For", "203.0.113.1")
			.build());
		assertThat(direct.getRemoteAddress()).isEqualTo(new InetSocketAddress(ip("198.51.100.8"), 40001));
		assertThat(direct.getHeaders().containsHeader("X-Forwarded-For")).isFalse();
	}

	private static InetAddress ip(String literal) throws Exception {
		return InetAddress.getByName(literal);
	}

}
