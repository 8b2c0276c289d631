package dev.bugtracker.gateway;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The address the system is reached at, decided once at the edge: a request whose
 * {@code Host} is one of the gateway's own names ({@code bugtracker.edge.own-hosts}, by
 * default the loopback names, so that a browser on the same machine may use
 * {@code localhost} or {@code 127.0.0.1} and stay signed in) keeps it; any other request
 * is taken to have come to the public URL ({@code bugtracker.security.public-url}): its
 * scheme, host and port. Everything after this decorator, the {@code X-Forwarded-Proto},
 * {@code -Host} and {@code -Port} the gateway writes for the services included, sees that
 * address, so the absolute URLs the services build from them (the login page's redirect,
 * the OpenAPI description's server) point to the system, never to a host a client made
 * up. Behind an Ingress that ends TLS, the public URL's {@code https} is what the
 * services are told, not the gateway's own {@code http}.
 */
@Component
@EnableConfigurationProperties(PublicHost.Properties.class)
class PublicHost implements HttpHandlerDecoratorFactory {

	private final URI publicUrl;

	private final Set<String> ownHosts;

	PublicHost(@Value("${bugtracker.security.public-url}") URI publicUrl, Properties properties) {
		if (publicUrl.getScheme() == null || publicUrl.getHost() == null) {
			throw new IllegalArgumentException(
					"bugtracker.security.public-url must be an absolute URL such as https://bugs.example.com, not "
							+ publicUrl);
		}
		this.publicUrl = publicUrl;
		this.ownHosts = properties.ownHosts().stream().map(PublicHost::normalized).collect(Collectors.toSet());
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> handler.handle(withPublicHost(request), response);
	}

	ServerHttpRequest withPublicHost(ServerHttpRequest request) {
		URI uri = request.getURI();
		if (uri.getHost() != null && this.ownHosts.contains(normalized(uri.getHost()))) {
			return request;
		}
		URI reached = UriComponentsBuilder.fromUri(uri)
			.scheme(this.publicUrl.getScheme())
			.host(this.publicUrl.getHost())
			.port(this.publicUrl.getPort())
			.build(true)
			.toUri();
		if (reached.equals(uri)) {
			return request;
		}
		String host = (this.publicUrl.getPort() < 0) ? this.publicUrl.getHost()
				: this.publicUrl.getHost() + ":" + this.publicUrl.getPort();
		return request.mutate().uri(reached).header(HttpHeaders.HOST, host).build();
	}

	private static String normalized(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		return (name.startsWith("[") && name.endsWith("]")) ? name.substring(1, name.length() - 1) : name;
	}

	/**
	 * @param ownHosts host names (without a port) that a request may name in its
	 * {@code Host} and keep, with whatever port it gives; every other request is taken to
	 * have reached the public URL. By default the loopback names.
	 */
	@ConfigurationProperties("bugtracker.edge")
	record Properties(@DefaultValue( {
			"localhost", "127.0.0.1", "[::1]" }) List<String> ownHosts){
	}

}
