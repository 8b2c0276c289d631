package dev.bugtracker.platform.security;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Sends a plain-HTTP request to each address its host name resolves to in turn, until one
 * answers: for the fixed address of the authorization server
 * ({@code AUTHORIZATION_SERVER_URL}) where that name stands for several containers rather
 * than one stable address. In compose, {@code users-service} resolves to every
 * users-service container (Docker's DNS, in a random order), and a JVM keeps a resolved
 * name for a few seconds: during a rolling upgrade the first address it holds may be a
 * container just stopped. A connection that fails, or an answer that does not come, moves
 * on to the next address instead of failing the fetch of the signing keys, the service
 * token or the cut-offs. HTTPS requests and addresses given as literals go as they are (a
 * certificate names the host, not its addresses; a Kubernetes Service has one stable
 * address).
 */
public final class EveryAddress implements ClientHttpRequestInterceptor {

	/** Resolves a host name to all its addresses. */
	@FunctionalInterface
	public interface Resolver {

		/**
		 * @param host a host name
		 * @return its addresses, at least one
		 * @throws IOException if it does not resolve
		 */
		InetAddress[] resolve(String host) throws IOException;

	}

	private final Resolver resolver;

	/** With the JVM's resolver (and its cache, {@code networkaddress.cache.ttl}). */
	public EveryAddress() {
		this(InetAddress::getAllByName);
	}

	/**
	 * @param resolver resolves host names to their addresses
	 */
	public EveryAddress(Resolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		URI uri = request.getURI();
		String host = uri.getHost();
		if (!"http".equalsIgnoreCase(uri.getScheme()) || host == null || isLiteral(host)) {
			return execution.execute(request, body);
		}
		InetAddress[] addresses = this.resolver.resolve(host);
		IOException failure = null;
		for (InetAddress address : addresses) {
			String literal = (address instanceof Inet6Address) ? "[" + address.getHostAddress() + "]"
					: address.getHostAddress();
			URI at = UriComponentsBuilder.fromUri(uri).host(literal).build(true).toUri();
			try {
				return execution.execute(new HttpRequestWrapper(request) {
					@Override
					public URI getURI() {
						return at;
					}
				}, body);
			}
			catch (IOException ex) {
				if (failure == null) {
					failure = new IOException("No address of " + host + " answered " + request.getMethod() + " "
							+ uri.getRawPath() + " (" + addresses.length + " tried)", ex);
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure == null) {
			throw new IOException(host + " resolved to no address");
		}
		throw failure;
	}

	private static boolean isLiteral(String host) {
		return host.startsWith("[") || host.chars().allMatch((c) -> Character.isDigit(c) || c == '.');
	}

}
