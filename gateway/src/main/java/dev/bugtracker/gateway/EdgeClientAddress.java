package dev.bugtracker.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * The client's address, decided once at the edge: for a request from a trusted proxy
 * ({@code bugtracker.edge.trusted-proxies}: an Ingress, a load balancer), the right-most
 * address of its {@code X-Forwarded-For} that is not a trusted proxy's; for any other
 * request, the peer. The request's remote address becomes the client's and the client's
 * {@code X-Forwarded-For} is removed, so that everything after it (the
 * {@code X-Forwarded-For} the gateway writes for the services, the exchange of personal
 * access tokens, the access log) sees the client, and nothing a client wrote. A decorator
 * of the whole HTTP handler, so that it runs before any filter.
 */
@Component
@EnableConfigurationProperties(EdgeClientAddress.Properties.class)
class EdgeClientAddress implements HttpHandlerDecoratorFactory {

	private final TrustedProxies proxies;

	EdgeClientAddress(Properties properties) {
		this.proxies = TrustedProxies.of(properties.trustedProxies());
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> handler.handle(withClientAddress(request), response);
	}

	ServerHttpRequest withClientAddress(ServerHttpRequest request) {
		List<String> forwardedFor = request.getHeaders().getOrEmpty("X-Forwarded-For");
		InetSocketAddress peer = request.getRemoteAddress();
		if (peer == null || peer.getAddress() == null) {
			return forwardedFor.isEmpty() ? request
					: request.mutate().headers((headers) -> headers.remove("X-Forwarded-For")).build();
		}
		InetAddress client = this.proxies.client(peer.getAddress(), forwardedFor);
		if (forwardedFor.isEmpty() && client.equals(peer.getAddress())) {
			return request;
		}
		return request.mutate()
			.headers((headers) -> headers.remove("X-Forwarded-For"))
			.remoteAddress(new InetSocketAddress(client, client.equals(peer.getAddress()) ? peer.getPort() : 0))
			.build();
	}

	/**
	 * @param trustedProxies the address ranges of the proxies in front of the gateway
	 * whose {@code X-Forwarded-For} it believes (CIDR notation or single addresses);
	 * empty, the default: none, every peer is a client
	 */
	@ConfigurationProperties("bugtracker.edge")
	record Properties(@DefaultValue List<String> trustedProxies) {
	}

}
